#!/usr/bin/env node
// contracts/build.js - compile contracts/src/*.sol with solc-js (npm "solc",
// pinned in tools/package.json) into <outdir>/<Name>.json, one per contract
// that has bytecode: {"contractName", "sourceName", "abi", "bytecode",
// "deployedBytecode", "compiler", "settings"} (hex with 0x). Also writes
// <outdir>/abi/<Name>.abi.json for abstract contracts and interfaces.
//
//   node contracts/build.js [outdir]      (default build/contracts)
//
// The settings are pinned here and in contracts/foundry.toml; keep both equal.
'use strict';
const fs = require('fs');
const path = require('path');

const top = path.resolve(__dirname, '..');
const nm = path.join(top, 'tools', 'node_modules');
const solc = require(path.join(nm, 'solc'));
const outdir = path.resolve(process.argv[2] || path.join(top, 'build', 'contracts'));

const SETTINGS = {
	optimizer: { enabled: true, runs: 1000 },
	evmVersion: 'cancun',
	viaIR: false,
	metadata: { bytecodeHash: 'none' },
	outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object',
	    'evm.deployedBytecode.object'] } },
};

const srcdir = path.join(__dirname, 'src');
const sources = {};
for (const f of fs.readdirSync(srcdir).sort())
	if (f.endsWith('.sol'))
		sources['src/' + f] = { content: fs.readFileSync(path.join(srcdir, f), 'utf8') };

function findImport(p) {
	const cands = [path.join(__dirname, p), path.join(nm, p)];
	for (const c of cands)
		if (fs.existsSync(c))
			return { contents: fs.readFileSync(c, 'utf8') };
	return { error: 'not found: ' + p };
}

const input = { language: 'Solidity', sources, settings: SETTINGS };
const out = JSON.parse(solc.compile(JSON.stringify(input), { import: findImport }));
let failed = false;
for (const e of out.errors || []) {
	process.stderr.write(e.formattedMessage || e.message);
	if (e.severity === 'error')
		failed = true;
}
if (failed)
	process.exit(1);

fs.mkdirSync(path.join(outdir, 'abi'), { recursive: true });
let n = 0;
for (const [src, cs] of Object.entries(out.contracts)) {
	if (!src.startsWith('src/'))
		continue;
	for (const [name, c] of Object.entries(cs)) {
		const bin = c.evm.bytecode.object;
		fs.writeFileSync(path.join(outdir, 'abi', name + '.abi.json'),
		    JSON.stringify(c.abi, null, 1) + '\n');
		// Abstract contracts, interfaces and libraries are not deployed.
		if (!bin || /^73[0]{40}/.test(c.evm.deployedBytecode.object))
			continue;
		const art = {
			contractName: name,
			sourceName: 'contracts/' + src,
			abi: c.abi,
			bytecode: '0x' + bin,
			deployedBytecode: '0x' + c.evm.deployedBytecode.object,
			compiler: 'solc-js ' + solc.version(),
			settings: { optimizer: SETTINGS.optimizer, evmVersion: SETTINGS.evmVersion },
		};
		fs.writeFileSync(path.join(outdir, name + '.json'), JSON.stringify(art) + '\n');
		process.stderr.write(`contracts: ${name}: ${bin.length / 2} bytes init, ` +
		    `${c.evm.deployedBytecode.object.length / 2} bytes runtime\n`);
		n++;
	}
}
if (n === 0) {
	process.stderr.write('contracts: nothing deployable compiled\n');
	process.exit(1);
}
