/*
 * onnx/ops_ml.h - what the ai.onnx.ml kernels share (internal to
 * lib/onnx/ops_ml*.c).
 *
 * The kernels follow onnxruntime's CPU implementation where its choices
 * decide a label or an output layout (binary classifiers, post transforms,
 * SVM votes), since onnxruntime is the reference the tests compare against;
 * their arithmetic is float32 in a fixed order, with exp/log from dmath.h.
 */
#ifndef DENAI_ONNX_OPS_ML_H
#define DENAI_ONNX_OPS_ML_H

#include <stddef.h>
#include <stdint.h>

#include "onnx/node.h"

/* post_transform values. */
enum ml_post {
	ML_NONE = 0,
	ML_LOGISTIC,
	ML_SOFTMAX,
	ML_SOFTMAX_ZERO,
	ML_PROBIT,
};

/* Reads the string attribute post_transform (default NONE). */
int denai_ml_post_parse(const denai_node *n, int *post,
    denai_err *err) DENAI_WUR;

float denai_ml_logistic(float x);
float denai_ml_probit(float x);
void denai_ml_softmax(float *v, size_t n);
void denai_ml_softmax_zero(float *v, size_t n);
/* Applies post to a row of n >= 2 scores (LOGISTIC/PROBIT elementwise). */
void denai_ml_post_row(float *v, size_t n, int post);

/*
 * The rows of an ML operator's input: rank 1 is one row, rank 2 is
 * [rows, cols]. *xf points at the input's floats, or, for a double, int64
 * or int32 input, at a float copy in *owned (the caller frees it).
 */
int denai_ml_input_f32(const denai_node *n, const denai_tensor *x,
    const float **xf, float **owned, int64_t *rows, int64_t *cols,
    denai_err *err) DENAI_WUR;

/* Class labels: classlabels_ints / classlabels_int64s, or _strings. */
typedef struct ml_labels {
	const int64_t *ints;
	char *const *strs;
	size_t n;
} ml_labels;

int denai_ml_labels_parse(const denai_node *n, const char *ints_name,
    const char *strs_name, ml_labels *l, denai_err *err) DENAI_WUR;
/* Shapes y as a label tensor [rows] of the labels' type (y may be NULL). */
int denai_ml_labels_shape(const denai_node *n, const ml_labels *l,
    denai_tensor *y, int64_t rows, denai_err *err) DENAI_WUR;
/* y[i] = label number k, or when k < 0 the raw integer v (for string
 * labels: label number v, as onnxruntime maps its raw labels). */
int denai_ml_label_set(const denai_node *n, const ml_labels *l, denai_tensor *y,
    int64_t i, int64_t k, int64_t v, denai_err *err) DENAI_WUR;

/* Reshapes t to [rows, cols] float (t may be NULL: then 0). */
int denai_ml_out2(denai_tensor *t, int dtype, int64_t rows, int64_t cols,
    denai_err *err) DENAI_WUR;

/* Frees a state that is one malloc'd block. */
void denai_ml_free(void *state);

/* Kernels, by family: ops_ml_linear.c, ops_ml_tree.c, ops_ml_svm.c,
 * ops_ml_prep.c. */
#define ML_KERNEL(k) \
	int denai_ml_##k##_prepare(denai_node *n, denai_err *err); \
	int denai_ml_##k##_run(const denai_node *n, const denai_tensor *const *in, \
	    denai_tensor *const *out, denai_err *err);
ML_KERNEL(linclass)
ML_KERNEL(linreg)
ML_KERNEL(treeclass)
ML_KERNEL(treereg)
ML_KERNEL(tree5)
ML_KERNEL(svmclass)
ML_KERNEL(svmreg)
ML_KERNEL(scaler)
ML_KERNEL(normalizer)
ML_KERNEL(imputer)
ML_KERNEL(binarizer)
ML_KERNEL(afe)
ML_KERNEL(labelenc)
ML_KERNEL(zipmap)
#undef ML_KERNEL
void denai_ml_tree_free(void *state);
void denai_ml_labelenc_free(void *state);
void denai_ml_svm_free(void *state);

#endif
