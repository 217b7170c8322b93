#!/usr/bin/env node
// tools/solc-wrapper.js - a solc command line over solc-js (npm "solc",
// pinned in tools/package.json), enough for forge: it answers --version and
// --standard-json (Standard JSON input on stdin, output on stdout). Imports
// that are not inlined in the input are read from disk: relative to the
// current directory, to --base-path, to each --include-path, or absolute,
// but only under an --allow-paths entry, the base or include paths, or the
// current directory.
'use strict';
const fs = require('fs');
const path = require('path');
const solc = require(path.join(__dirname, 'node_modules', 'solc'));

const args = process.argv.slice(2);
if (args.includes('--version') || args.includes('-v')) {
	// Forge reads the last "Version: x.y.z" line.
	const v = solc.version().replace('Emscripten.clang', 'Linux.g++');
	process.stdout.write('solc, the solidity compiler commandline interface\n' +
	    'Version: ' + v + '\n');
	process.exit(0);
}
if (!args.includes('--standard-json')) {
	process.stderr.write('solc-wrapper: only --version and --standard-json are supported\n');
	process.exit(64);
}

let base = process.cwd();
const roots = [];
for (let i = 0; i < args.length; i++) {
	const a = args[i];
	const take = () => args[++i];
	if (a === '--base-path') base = path.resolve(take());
	else if (a === '--include-path') roots.push(path.resolve(take()));
	else if (a === '--allow-paths')
		take().split(',').forEach((p) => p && roots.push(path.resolve(p)));
}
// Forge passes allow-paths with symlinks resolved (a worktree's
// tools/node_modules may be a link), so compare real paths too.
function real(p) {
	try { return fs.realpathSync(p); } catch (e) { return p; }
}
const allowed = [process.cwd(), base].concat(roots).map(real);

function findImport(p) {
	const cands = path.isAbsolute(p) ? [p] :
	    [path.resolve(base, p), path.resolve(p)].concat(roots.map((r) => path.resolve(r, p)));
	for (const c of cands) {
		const rc = real(c);
		if (!allowed.some((r) => rc === r || rc.startsWith(r + path.sep)))
			continue;
		try {
			return { contents: fs.readFileSync(c, 'utf8') };
		} catch (e) { /* next */ }
	}
	return { error: 'file not found: ' + p };
}

const input = fs.readFileSync(0, 'utf8');
const out = solc.compile(input, { import: findImport });
process.stdout.write(out);
