// A small SMTP client (RFC 5321) over node:net / node:tls, for reminder emails (SPEC §11): no
// SMTP package is installed, and the platform needs only this — one connection per batch, EHLO,
// STARTTLS when offered (required before AUTH), AUTH PLAIN, then MAIL / RCPT / DATA per message.
// Messages are UTF-8 plain text, base64-encoded, with an RFC 2047 subject (Chinese titles).
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import type { SmtpConfig } from '../config.ts';

export class SmtpError extends Error {
  override name = 'SmtpError';
  readonly code: number | null;
  constructor(message: string, code: number | null = null) {
    super(message);
    this.code = code;
  }
}

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

interface Reply {
  code: number;
  lines: string[];
}

/** Reads CRLF lines off a socket and groups them into replies (`250-…` continues, `250 …` ends). */
class ReplyReader {
  private buffer = '';
  private lines: string[] = [];
  private waiting: { resolve: (r: Reply) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;
  private readonly onData = (chunk: Buffer) => {
    this.buffer += chunk.toString('utf8');
    let i: number;
    while ((i = this.buffer.indexOf('\n')) >= 0) {
      this.lines.push(this.buffer.slice(0, i).replace(/\r$/, ''));
      this.buffer = this.buffer.slice(i + 1);
    }
    this.deliver();
  };
  private readonly onEnd = () => this.fail(new SmtpError('the SMTP server closed the connection'));
  private readonly onError = (e: Error) => this.fail(e);

  private socket: net.Socket;
  constructor(socket: net.Socket) {
    this.socket = socket;
    this.attach();
  }

  private attach() {
    this.socket.on('data', this.onData).on('end', this.onEnd).on('error', this.onError);
  }

  /** Moves to a new socket (after STARTTLS); nothing is buffered at that point. */
  switchTo(socket: net.Socket) {
    this.socket.off('data', this.onData).off('end', this.onEnd).off('error', this.onError);
    this.socket = socket;
    this.attach();
  }

  private fail(e: Error) {
    this.failure ??= e;
    if (this.waiting) {
      this.waiting.reject(e);
      this.waiting = null;
    }
  }

  private deliver() {
    if (!this.waiting) return;
    const end = this.lines.findIndex((l) => /^\d{3}(?: |$)/.test(l));
    if (end < 0) return;
    const lines = this.lines.splice(0, end + 1);
    const code = Number(lines[lines.length - 1]!.slice(0, 3));
    const w = this.waiting;
    this.waiting = null;
    w.resolve({ code, lines: lines.map((l) => l.slice(4)) });
  }

  next(): Promise<Reply> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.deliver();
    });
  }
}

const encodeWord = (text: string) => (/^[\x20-\x7e]*$/.test(text) ? text : `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`);

/** The message as sent after DATA: headers, a blank line, the base64 body, CRLF line ends. */
export function formatMessage(from: string, message: MailMessage, date: Date): string {
  const body = Buffer.from(message.text.replace(/\r?\n/g, '\r\n'), 'utf8').toString('base64').replace(/.{1,76}/g, '$&\r\n');
  const host = from.split('@')[1] ?? 'localhost';
  return [
    `From: ${from}`, `To: ${message.to}`, `Subject: ${encodeWord(message.subject)}`, `Date: ${date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${randomUUID()}@${host}>`, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: base64', '', body,
  ].join('\r\n');
}

const ADDRESS = /^[^@\s<>]+@[^@\s<>]+$/;

/**
 * Sends `messages` over one connection and returns, for each, null (accepted by the server) or the
 * reason it was refused. A connection-level failure (refused, TLS, authentication) throws.
 */
export async function sendMail(config: SmtpConfig, messages: readonly MailMessage[], timeoutMs = 30_000): Promise<Array<string | null>> {
  const connectOptions = { host: config.host, port: config.port };
  let socket: net.Socket = config.secure ? tls.connect({ ...connectOptions, servername: config.host }) : net.connect(connectOptions);
  socket.setTimeout(timeoutMs, () => socket.destroy(new SmtpError('the SMTP server did not answer in time')));
  const reader = new ReplyReader(socket);
  let tlsOn = config.secure;
  const write = (line: string) => new Promise<void>((resolve, reject) => socket.write(line, (e) => (e ? reject(e) : resolve())));
  const command = async (line: string, expect: number[]): Promise<Reply> => {
    await write(`${line}\r\n`);
    const reply = await reader.next();
    if (!expect.includes(reply.code)) throw new SmtpError(`${line.split(' ')[0]}: ${reply.code} ${reply.lines.join(' ')}`, reply.code);
    return reply;
  };
  try {
    const greeting = await reader.next();
    if (greeting.code !== 220) throw new SmtpError(`greeting: ${greeting.code} ${greeting.lines.join(' ')}`, greeting.code);
    const name = 'govproj.localhost';
    let ehlo = await command(`EHLO ${name}`, [250]);
    const offers = (r: Reply, ext: string) => r.lines.some((l) => l.toUpperCase().split(' ')[0] === ext);
    if (!tlsOn && offers(ehlo, 'STARTTLS')) {
      await command('STARTTLS', [220]);
      socket = await new Promise<tls.TLSSocket>((resolve, reject) => {
        const secured = tls.connect({ socket, servername: config.host }, () => resolve(secured));
        secured.once('error', reject);
      });
      socket.setTimeout(timeoutMs, () => socket.destroy(new SmtpError('the SMTP server did not answer in time')));
      reader.switchTo(socket);
      tlsOn = true;
      ehlo = await command(`EHLO ${name}`, [250]);
    }
    if (config.user !== null) {
      // Never send a password in clear text.
      if (!tlsOn) throw new SmtpError('the SMTP server offers no TLS; refusing to send credentials');
      const token = Buffer.from(`\0${config.user}\0${config.password ?? ''}`, 'utf8').toString('base64');
      await command(`AUTH PLAIN ${token}`, [235]);
    }
    const results: Array<string | null> = [];
    for (const m of messages) {
      if (!ADDRESS.test(m.to)) {
        results.push(`bad address ${m.to}`);
        continue;
      }
      try {
        await command(`MAIL FROM:<${config.from}>`, [250]);
        await command(`RCPT TO:<${m.to}>`, [250, 251]);
        await command('DATA', [354]);
        const data = formatMessage(config.from, m, new Date()).replace(/\r\n$/, '').replace(/^\./gm, '..');
        await command(`${data}\r\n.`, [250]);
        results.push(null);
      } catch (e) {
        if (!(e instanceof SmtpError) || e.code === null || e.code < 400) throw e;
        results.push(e.message);
        await command('RSET', [250]);
      }
    }
    await command('QUIT', [221]).catch(() => undefined);
    return results;
  } finally {
    socket.destroy();
  }
}
