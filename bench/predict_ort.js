// predict_ort.js - onnxruntime-node's side of bench/predict.sh: the same
// model and rows as predict_bench, timed the same way.
//
//   node predict_ort.js MODEL ROWS.ndjson [N]
//
// N single-row session.run calls (default 10000) cycling through the rows,
// median and 90th percentile in microseconds; then the batch throughput of
// all rows repeated to at least 10000, median of 5. One session thread.
'use strict';
const path = require('path');
const fs = require('fs');
const ort = require(path.join(__dirname, '../tools/node_modules/onnxruntime-node'));

async function main() {
	const [model, rowsPath, nArg] = process.argv.slice(2);
	const n = Number(nArg || 10000);
	const rows = fs.readFileSync(rowsPath, 'utf8').split('\n')
		.filter((l) => l.trim()).map((l) => JSON.parse(l));
	const nf = rows[0].length;
	const s = await ort.InferenceSession.create(model,
		{ intraOpNumThreads: 1, interOpNumThreads: 1 });
	const input = s.inputNames[0];
	const t = [];
	for (let i = -100; i < n; i++) {
		const row = rows[Math.abs(i) % rows.length];
		const t0 = process.hrtime.bigint();
		const r = await s.run({ [input]: new ort.Tensor('float32', Float32Array.from(row), [1, nf]) });
		void r[s.outputNames[0]].data[0];
		if (i >= 0)
			t.push(Number(process.hrtime.bigint() - t0) / 1000);
	}
	t.sort((a, b) => a - b);
	const reps = Math.ceil(10000 / rows.length);
	const brows = reps * rows.length;
	const data = new Float32Array(brows * nf);
	for (let r = 0; r < brows; r++)
		data.set(rows[r % rows.length], r * nf);
	const bt = [];
	for (let k = 0; k < 5; k++) {
		const t0 = process.hrtime.bigint();
		await s.run({ [input]: new ort.Tensor('float32', data, [brows, nf]) });
		bt.push(Number(process.hrtime.bigint() - t0) / 1e9);
	}
	bt.sort((a, b) => a - b);
	console.log(`single_median_us=${t[n >> 1].toFixed(3)} single_p90_us=${t[Math.floor(n * 0.9)].toFixed(3)} ` +
		`batch_rows=${brows} batch_rows_per_s=${(brows / bt[2]).toFixed(0)}`);
}
main().catch((e) => { console.error('predict_ort: ' + e.message); process.exit(1); });
