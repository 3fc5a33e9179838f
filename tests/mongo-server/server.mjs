// server.mjs: MongoDB wire-protocol test server for the data-plane tests.
//
//   node server.mjs [PORT] [PORTFILE]
//
// CongoDB (from @push.rocks/smartmongo) on 127.0.0.1, in memory. PORT 0
// (the default) picks a free port; the port actually bound is written to
// PORTFILE (default: none) once the server listens. Env MONGO_TEST_USER
// and MONGO_TEST_PASSWORD name the one user that SCRAM-SHA-256 (RFC 5802,
// RFC 7677) accepts; a wrong user or password is refused with code 18.
// CongoDB's own authentication is a stub that libmongoc rejects, so the
// saslStart/saslContinue handlers are replaced here. Stops on SIGTERM.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { CongoServer } from '@push.rocks/smartmongo/dist_ts/congodb/index.js';

const port = Number(process.argv[2] ?? process.env.MONGO_TEST_PORT ?? 0);
const portFile = process.argv[3] ?? process.env.MONGO_TEST_PORT_FILE;
const user = process.env.MONGO_TEST_USER ?? 'audit';
const password = process.env.MONGO_TEST_PASSWORD ?? '';
const ITER = 4096;
const SALT = crypto.randomBytes(28);		// libmongoc requires 28 bytes

const H = (b) => crypto.createHash('sha256').update(b).digest();
const HMAC = (k, s) => crypto.createHmac('sha256', k).update(s).digest();
const salted = crypto.pbkdf2Sync(password.normalize('NFKC'), SALT, ITER, 32,
    'sha256');
const storedKey = H(HMAC(salted, 'Client Key'));
const serverKey = HMAC(salted, 'Server Key');
const conversations = new Map();
let nextConv = 1;

const bytes = (p) => p == null ? Buffer.alloc(0) : Buffer.isBuffer(p) ? p :
    p.buffer != null ? Buffer.from(p.buffer.subarray(0, p.position ?? p.buffer.length)) :
    Buffer.from(p);
const attrs = (s) => Object.fromEntries(s.split(',').filter((a) => a.includes('='))
    .map((a) => [a[0], a.slice(2)]));
const refuse = () => ({ ok: 0, code: 18, codeName: 'AuthenticationFailed',
    errmsg: 'Authentication failed.' });
const unscram = (s) => s.replace(/=2C/g, ',').replace(/=3D/g, '=');

const scram = {
	async handle({ command }) {
		if (command.saslStart !== undefined) {
			if (command.mechanism !== 'SCRAM-SHA-256')
				return refuse();
			const msg = bytes(command.payload).toString('utf8');
			if (!msg.startsWith('n,,'))
				return refuse();
			const bare = msg.slice(3), a = attrs(bare);
			if (unscram(a.n ?? '') !== user || !a.r)
				return refuse();
			const nonce = a.r + crypto.randomBytes(18).toString('base64');
			const first = `r=${nonce},s=${SALT.toString('base64')},i=${ITER}`;
			const id = nextConv++;
			conversations.set(id, { bare, first, nonce, step: 1 });
			return { ok: 1, conversationId: id, done: false,
			    payload: Buffer.from(first) };
		}
		const id = Number(command.conversationId);
		const c = conversations.get(id);
		if (c === undefined)
			return refuse();
		if (c.step === 2) {
			conversations.delete(id);
			return { ok: 1, conversationId: id, done: true,
			    payload: Buffer.alloc(0) };
		}
		const fin = bytes(command.payload).toString('utf8');
		const a = attrs(fin);
		const noProof = fin.slice(0, fin.lastIndexOf(',p='));
		if (a.r !== c.nonce || a.c !== 'biws' || !a.p) {
			conversations.delete(id);
			return refuse();
		}
		const auth = `${c.bare},${c.first},${noProof}`;
		const sig = HMAC(storedKey, auth);
		const proof = Buffer.from(a.p, 'base64');
		if (proof.length !== sig.length) {
			conversations.delete(id);
			return refuse();
		}
		const clientKey = Buffer.alloc(sig.length);
		for (let i = 0; i < sig.length; i++)
			clientKey[i] = proof[i] ^ sig[i];
		if (!crypto.timingSafeEqual(H(clientKey), storedKey)) {
			conversations.delete(id);
			return refuse();
		}
		c.step = 2;
		const v = HMAC(serverKey, auth).toString('base64');
		return { ok: 1, conversationId: id, done: false,
		    payload: Buffer.from(`v=${v}`) };
	},
};

const server = new CongoServer({ port, host: '127.0.0.1', storage: 'memory' });
await server.start();
const handlers = server.commandRouter.handlers;
const hello = handlers.get('hello');
const helloAuth = { async handle(ctx) {
	const r = await hello.handle(ctx);
	if (ctx.command.saslSupportedMechs !== undefined)
		r.saslSupportedMechs = ['SCRAM-SHA-256'];
	return r;
} };
for (const n of ['hello', 'ismaster', 'isMaster'])
	handlers.set(n, helloAuth);
handlers.set('saslStart', scram);
handlers.set('saslContinue', scram);
const bound = server.server.address().port;
if (portFile)
	fs.writeFileSync(portFile, `${bound}\n`);
process.on('SIGTERM', () => server.stop().then(() => process.exit(0)));
process.on('SIGINT', () => server.stop().then(() => process.exit(0)));
