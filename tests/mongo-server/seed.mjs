// seed.mjs: fills a running test server through the wire (OP_MSG insert).
//
//   node seed.mjs PORT SPEC.json
//
// SPEC is a list of {"db", "coll", "docs": [...]} and/or
// {"db", "coll", "generate": {"count": N, "tenants": ["t1", ...],
//  "field": "tenant_id", "pad": BYTES}} entries (generated documents
// carry tenants round-robin and a padding string). CongoDB assigns
// ObjectId _ids; documents must not carry their own _id.
import fs from 'node:fs';
import net from 'node:net';
import { BSON } from 'bson';

const [port, specFile] = process.argv.slice(2);
const spec = JSON.parse(fs.readFileSync(specFile, 'utf8'));
const sock = net.connect(Number(port), '127.0.0.1');
await new Promise((ok, ko) => { sock.once('connect', ok); sock.once('error', ko); });
let buf = Buffer.alloc(0), waiter = null, reqId = 1;
sock.on('data', (d) => {
	buf = Buffer.concat([buf, d]);
	if (buf.length >= 4 && buf.length >= buf.readInt32LE(0) && waiter) {
		const len = buf.readInt32LE(0), msg = buf.subarray(0, len);
		buf = buf.subarray(len);
		const w = waiter; waiter = null; w(msg);
	}
});
function command(doc) {
	const body = BSON.serialize(doc);
	const head = Buffer.alloc(21);
	head.writeInt32LE(21 + body.length, 0);
	head.writeInt32LE(reqId++, 4);
	head.writeInt32LE(0, 8);
	head.writeInt32LE(2013, 12);		// OP_MSG
	head.writeUInt32LE(0, 16);
	head.writeUInt8(0, 20);			// section kind 0
	return new Promise((ok) => {
		waiter = (msg) => ok(BSON.deserialize(msg.subarray(21)));
		sock.write(Buffer.concat([head, body]));
	});
}
async function insert(db, coll, docs) {
	for (let i = 0; i < docs.length; i += 1000) {
		const r = await command({ insert: coll, documents: docs.slice(i, i + 1000), $db: db });
		if (r.ok !== 1)
			throw new Error(`insert ${db}.${coll}: ${r.errmsg}`);
	}
}
let total = 0;
for (const e of spec) {
	if (e.docs)
		await insert(e.db, e.coll, e.docs);
	if (e.generate) {
		const g = e.generate, field = g.field ?? 'tenant_id';
		const pad = 'x'.repeat(g.pad ?? 0);
		for (let i = 0; i < g.count; i += 1000) {
			const docs = [];
			for (let k = i; k < Math.min(g.count, i + 1000); k++)
				docs.push({ [field]: g.tenants[k % g.tenants.length], seq: k, pad });
			await insert(e.db, e.coll, docs);
		}
	}
	total += (e.docs?.length ?? 0) + (e.generate?.count ?? 0);
}
sock.end();
console.log(`seeded ${total} document(s)`);
