// A minimal real SMTP server (RFC 5321 subset: EHLO/HELO, AUTH PLAIN, MAIL, RCPT, DATA, RSET,
// NOOP, QUIT) listening on a TCP port, for tests of the SMTP client (src/mail/smtp.ts). The npm
// package `smtp-server` is not installed; this speaks the protocol over a real socket, so the client
// under test is exercised exactly as against a mail server (no mock of the client).
import net from 'node:net';

export interface ReceivedMail {
  from: string;
  to: string[];
  /** The DATA as received, dot-unstuffed, CRLF line ends. */
  data: string;
  /** The headers parsed (last one wins), names lower-cased. */
  headers: Record<string, string>;
  /** The decoded body (base64 UTF-8 or as is). */
  text: string;
  /** The decoded Subject (RFC 2047 B-encoded UTF-8 words joined). */
  subject: string;
  authenticatedAs: string | null;
}

export interface TestSmtpServer {
  port: number;
  received: ReceivedMail[];
  /** Refuse RCPT to these addresses with 550. */
  rejectRecipients: Set<string>;
  close(): Promise<void>;
}

const decodeWords = (s: string) => s.replace(/=\?UTF-8\?B\?([^?]*)\?=/gi, (_, b64: string) => Buffer.from(b64, 'base64').toString('utf8'));

function parse(data: string, envelope: { from: string; to: string[]; user: string | null }): ReceivedMail {
  const [head = '', ...rest] = data.split('\r\n\r\n');
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  const raw = rest.join('\r\n\r\n');
  const text = /base64/i.test(headers['content-transfer-encoding'] ?? '') ? Buffer.from(raw.replace(/\s+/g, ''), 'base64').toString('utf8') : raw;
  return { from: envelope.from, to: envelope.to, data, headers, text, subject: decodeWords(headers.subject ?? ''), authenticatedAs: envelope.user };
}

/** `port`: listen there (a server that comes back where it was); otherwise on a free port. */
/** `delayMs`: wait so long before accepting each message (a slow server, so deliveries overlap). */
export async function startSmtpServer(options: { requireAuth?: { user: string; password: string }; port?: number; delayMs?: number } = {}): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  const rejectRecipients = new Set<string>();
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const reply = (line: string) => socket.write(`${line}\r\n`);
    let buffer = '';
    let inData = false;
    let data: string[] = [];
    let envelope = { from: '', to: [] as string[], user: null as string | null };
    reply('220 test-smtp ESMTP ready');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      let i: number;
      while ((i = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            received.push(parse(data.join('\r\n'), envelope));
            envelope = { from: '', to: [], user: envelope.user };
            data = [];
            if (options.delayMs) setTimeout(() => reply('250 2.0.0 queued'), options.delayMs);
            else reply('250 2.0.0 queued');
          } else data.push(line.startsWith('..') ? line.slice(1) : line);
          continue;
        }
        const verb = line.split(' ')[0]!.toUpperCase();
        if (verb === 'EHLO') {
          socket.write('250-test-smtp greets you\r\n250-8BITMIME\r\n' + (options.requireAuth ? '250-AUTH PLAIN\r\n' : '') + '250 SIZE 10485760\r\n');
        } else if (verb === 'HELO') reply('250 test-smtp');
        else if (verb === 'AUTH') {
          const [, mech, token] = line.split(' ');
          const [, user, password] = Buffer.from(token ?? '', 'base64').toString('utf8').split('\0');
          if (mech?.toUpperCase() === 'PLAIN' && options.requireAuth && user === options.requireAuth.user && password === options.requireAuth.password) {
            envelope.user = user;
            reply('235 2.7.0 authenticated');
          } else reply('535 5.7.8 authentication failed');
        } else if (verb === 'MAIL') {
          if (options.requireAuth && !envelope.user) reply('530 5.7.0 authentication required');
          else {
            envelope.from = /<([^>]*)>/.exec(line)?.[1] ?? '';
            reply('250 2.1.0 ok');
          }
        } else if (verb === 'RCPT') {
          const to = /<([^>]*)>/.exec(line)?.[1] ?? '';
          if (rejectRecipients.has(to)) reply('550 5.1.1 no such user');
          else {
            envelope.to.push(to);
            reply('250 2.1.5 ok');
          }
        } else if (verb === 'DATA') {
          if (envelope.to.length === 0) reply('503 5.5.1 no recipients');
          else {
            inData = true;
            reply('354 end with <CRLF>.<CRLF>');
          }
        } else if (verb === 'RSET') {
          envelope = { from: '', to: [], user: envelope.user };
          reply('250 2.0.0 ok');
        } else if (verb === 'NOOP') reply('250 2.0.0 ok');
        else if (verb === 'QUIT') {
          reply('221 2.0.0 bye');
          socket.end();
        } else reply('502 5.5.2 command not implemented');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  return {
    port: address.port, received, rejectRecipients,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
