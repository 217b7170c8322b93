// validate_ort.js - onnxruntime-node's side of bench/validate.sh: the same
// test set scored the same way (parse the CSV, predict every row, count
// exact labels or sum squared errors), timed from reading the file to the
// score, as whole-batch runs and as one run per row (the oracle's way).
//
//   node validate_ort.js MODEL TEST.csv LABEL KIND DECIMALS
//
// Prints: rows=N batch_s=S batch_score=X row_s=S row_score=Y
'use strict';
const path = require('path');
const fs = require('fs');
const ort = require(path.join(__dirname, '../tools/node_modules/onnxruntime-node'));

function parse(file, label) {
	const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l);
	const head = lines[0].split(',');
	const li = head.indexOf(label);
	const nf = head.length - 1, rows = lines.length - 1;
	const x = new Float32Array(rows * nf);
	const y = new Array(rows);
	for (let r = 0; r < rows; r++) {
		const f = lines[r + 1].split(',');
		for (let c = 0, k = 0; c < f.length; c++)
			if (c === li) y[r] = Number(f[c]);
			else x[r * nf + k++] = Number(f[c]);
	}
	return { x, y, nf, rows };
}

function score(pred, y, kind, dec) {
	let s = 0n;
	const m = 10 ** dec;
	for (let i = 0; i < y.length; i++) {
		if (kind === 0) {
			if (Number(pred(i)) === y[i]) s += 1n;
		} else {
			const d = BigInt(Math.round(Number(pred(i)) * m)) - BigInt(Math.round(y[i] * m));
			s -= d * d;
		}
	}
	return s.toString();
}

async function main() {
	const [model, file, label, kindArg, decArg] = process.argv.slice(2);
	const kind = Number(kindArg), dec = Number(decArg);
	const s = await ort.InferenceSession.create(model,
		{ intraOpNumThreads: 1, interOpNumThreads: 1 });
	const input = s.inputNames[0], out = s.outputNames[0];

	let t0 = process.hrtime.bigint();
	let d = parse(file, label);
	const r = await s.run({ [input]: new ort.Tensor('float32', d.x, [d.rows, d.nf]) });
	const o = r[out].data, w = o.length / d.rows;
	const bscore = score((i) => o[i * w], d.y, kind, dec);
	const bs = Number(process.hrtime.bigint() - t0) / 1e9;

	t0 = process.hrtime.bigint();
	d = parse(file, label);
	const p = new Array(d.rows);
	for (let i = 0; i < d.rows; i++) {
		const ri = await s.run({ [input]: new ort.Tensor('float32',
			d.x.subarray(i * d.nf, (i + 1) * d.nf), [1, d.nf]) });
		p[i] = ri[out].data[0];
	}
	const rscore = score((i) => p[i], d.y, kind, dec);
	const rs = Number(process.hrtime.bigint() - t0) / 1e9;
	console.log(`rows=${d.rows} batch_s=${bs.toFixed(4)} batch_score=${bscore} row_s=${rs.toFixed(4)} row_score=${rscore}`);
}
main().catch((e) => { console.error(e); process.exit(1); });
