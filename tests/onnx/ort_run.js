// ort_run.js - onnxruntime-node as the reference evaluator for the tests.
//
//   node ort_run.js MODEL.onnx [--per-row] < rows.ndjson > outputs.ndjson
//   node ort_run.js --rows ROWS.ndjson MODEL.onnx... > results.ndjson
//
// Each row is a JSON array of numbers (one row of the model's single float
// input). In the first form each output line is an object keyed by output
// name, holding that row's values as a flat array (int64 labels as numbers,
// strings as strings); rows run as one batch, or one session.run per row
// with --per-row. The second form runs several models over the same rows in
// one process and prints one line per model: {"model", "error"} or
// {"model", "rows": [...the objects above...]}.
'use strict';
const path = require('path');
const fs = require('fs');
const ort = require(path.join(__dirname, '../../tools/node_modules/onnxruntime-node'));

function parseRows(text) {
	return text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
}

async function runModel(model, rows, perRow) {
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
				o[name] = Array.from(t.data.slice(i * per, (i + 1) * per),
					(v) => (typeof v === 'string' ? v : Number(v)));
			}
			out.push(o);
		}
	};
	if (perRow)
		for (const row of rows) await run([row]);
	else if (rows.length)
		await run(rows);
	return out;
}

async function main() {
	const args = process.argv.slice(2);
	const ri = args.indexOf('--rows');
	if (ri >= 0) {
		const rows = parseRows(fs.readFileSync(args[ri + 1], 'utf8'));
		const models = args.filter((a, i) => i !== ri && i !== ri + 1);
		for (const m of models) {
			let line;
			try {
				line = { model: m, rows: await runModel(m, rows, false) };
			} catch (e) {
				line = { model: m, error: e.message };
			}
			process.stdout.write(JSON.stringify(line) + '\n');
		}
		return;
	}
	const model = args.find((a) => !a.startsWith('--'));
	const out = await runModel(model, parseRows(fs.readFileSync(0, 'utf8')),
		args.includes('--per-row'));
	process.stdout.write(out.map((o) => JSON.stringify(o) + '\n').join(''));
}
main().catch((e) => { process.stderr.write('ort_run: ' + e.message + '\n'); process.exit(1); });
