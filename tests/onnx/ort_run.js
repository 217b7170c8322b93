// ort_run.js - onnxruntime-node as the reference evaluator for the tests.
//
//   node ort_run.js MODEL.onnx [--per-row] < rows.ndjson > outputs.ndjson
//
// Each input line is a JSON array of numbers (one row of the model's single
// float input). Each output line is an object keyed by output name, holding
// that row's values as a flat array (int64 labels as numbers). Rows are run
// as one batch, or one session.run per row with --per-row.
'use strict';
const path = require('path');
const fs = require('fs');
const ort = require(path.join(__dirname, '../../tools/node_modules/onnxruntime-node'));

async function main() {
	const args = process.argv.slice(2);
	const model = args.find((a) => !a.startsWith('--'));
	const perRow = args.includes('--per-row');
	const rows = fs.readFileSync(0, 'utf8').split('\n').filter((l) => l.trim())
		.map((l) => JSON.parse(l));
	const opt = { intraOpNumThreads: 1, interOpNumThreads: 1 };
	const s = await ort.InferenceSession.create(model, opt);
	const input = s.inputNames[0];
	const nf = rows.length ? rows[0].length : 0;
	const out = [];
	const run = async (batch) => {
		const data = Float32Array.from(batch.flat());
		const r = await s.run({ [input]: new ort.Tensor('float32', data, [batch.length, nf]) });
		for (let i = 0; i < batch.length; i++) {
			const o = {};
			for (const name of s.outputNames) {
				const t = r[name];
				const per = t.data.length / batch.length;
				o[name] = Array.from(t.data.slice(i * per, (i + 1) * per), (v) => Number(v));
			}
			out.push(JSON.stringify(o));
		}
	};
	if (perRow)
		for (const row of rows) await run([row]);
	else if (rows.length)
		await run(rows);
	process.stdout.write(out.join('\n') + (out.length ? '\n' : ''));
}
main().catch((e) => { process.stderr.write('ort_run: ' + e.message + '\n'); process.exit(1); });
