// bench/serve_express.js - the peer of bench/serve.sh: Express on Node (the
// original's server.js stack) serving the same task JSON at
// GET /api/tasks/:id, from memory. Usage: node serve_express.js FILE PORT
'use strict';
const fs = require('fs');
const path = require('path');
const express = require(path.join(__dirname, '..', 'tools', 'node_modules', 'express'));
const task = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const app = express();
app.get('/api/tasks/:id', (req, res) => {
	if (req.params.id !== task.id) return res.status(404).json({ error: 'no task', field: null });
	res.json(task);
});
app.listen(Number(process.argv[3]), '127.0.0.1', () => console.error('express: listening'));
