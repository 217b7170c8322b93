/*
 * onnx/ops_ml_table.c - the ai.onnx.ml operator table (see registry.c):
 * the top of lib/onnx/ops_ml*.c, which nothing there calls.
 */
#include "onnx/ops_ml.h"

#define ML "ai.onnx.ml"
#define K(k) denai_ml_##k##_prepare, denai_ml_##k##_run

const denai_op denai_ops_ml[] = {
	{ ML, "LinearClassifier", 1, 5, 1, 1, 2, 2, K(linclass), denai_ml_free },
	{ ML, "LinearRegressor", 1, 5, 1, 1, 1, 1, K(linreg), denai_ml_free },
	{ ML, "TreeEnsembleClassifier", 1, 5, 1, 1, 2, 2, K(treeclass),
	    denai_ml_tree_free },
	{ ML, "TreeEnsembleRegressor", 1, 5, 1, 1, 1, 1, K(treereg),
	    denai_ml_tree_free },
	{ ML, "TreeEnsemble", 5, 5, 1, 1, 1, 1, K(tree5), denai_ml_tree_free },
	{ ML, "SVMClassifier", 1, 5, 1, 1, 2, 2, K(svmclass), denai_ml_svm_free },
	{ ML, "SVMRegressor", 1, 5, 1, 1, 1, 1, K(svmreg), denai_ml_svm_free },
	{ ML, "Scaler", 1, 5, 1, 1, 1, 1, K(scaler), denai_ml_free },
	{ ML, "Normalizer", 1, 5, 1, 1, 1, 1, K(normalizer), denai_ml_free },
	{ ML, "Imputer", 1, 5, 1, 1, 1, 1, K(imputer), denai_ml_free },
	{ ML, "Binarizer", 1, 5, 1, 1, 1, 1, K(binarizer), denai_ml_free },
	{ ML, "ArrayFeatureExtractor", 1, 5, 2, 2, 1, 1, K(afe), denai_ml_free },
	{ ML, "LabelEncoder", 1, 5, 1, 1, 1, 1, K(labelenc),
	    denai_ml_labelenc_free },
	{ ML, "ZipMap", 1, 5, 1, 1, 1, 1, K(zipmap), denai_ml_free },
	{ NULL, NULL, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL },
};
