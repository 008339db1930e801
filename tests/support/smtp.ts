// An SMTP server in the test process, on a free local port: what it received (raw, with the
// envelope's recipients), a nodemailer transport that talks to it, and a way to make it answer
// the next messages with a temporary refusal (451), as a busy mail server does.
import type { AddressInfo } from "node:net";
import nodemailer from "nodemailer";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  to: string[];
  raw: string;
}

export interface TestSmtp {
  /** smtp://127.0.0.1:<port>, for a server's SMTP_URL. */
  url: string;
  received: ReceivedMail[];
  transport(): nodemailer.Transporter;
  refuseNext(count: number): void;
  close(): Promise<void>;
}

export async function startTestSmtp(): Promise<TestSmtp> {
  const received: ReceivedMail[] = [];
  let refusals = 0;
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, session, callback) {
      let raw = "";
      stream.on("data", (chunk) => (raw += chunk));
      stream.on("end", () => {
        if (refusals > 0) {
          refusals--;
          return callback(Object.assign(new Error("Mailbox busy, try later"), { responseCode: 451 }));
        }
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  const port = (smtp.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    transport: () => nodemailer.createTransport({ host: "127.0.0.1", port, secure: false, ignoreTLS: true }),
    refuseNext: (count) => (refusals = count),
    close: () => new Promise<void>((resolve) => smtp.close(() => resolve())),
  };
}
