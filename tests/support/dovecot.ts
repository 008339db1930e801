// A private Dovecot IMAP server for the IMAP tests (Debian's dovecot-imapd; .ci/run installs it):
// its own config, port, user, maildir and log in a temp folder, never the system's instance.
// Mail is delivered into it with IMAP APPEND, as a mail server would leave it in the mailbox.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { ImapFlow } from "imapflow";
import type { ImapSettings } from "~/modules/inbound-mail";
import { freePort } from "./e2e-global-setup";

const DOVECOT = ["/usr/sbin/dovecot", "/usr/local/sbin/dovecot"].find((p) => fs.existsSync(p));
const INSTALL_HINT = "The IMAP tests need Debian's Dovecot: sudo apt-get install -y dovecot-imapd (.ci/run installs it).";

export interface MessageInMailbox {
  uid: number;
  flags: string[];
  messageId: string | null;
}

export interface Dovecot {
  host: string;
  port: number;
  user: string;
  password: string;
  /** Poller settings for this server (password sign-in unless `auth` says otherwise). */
  settings(overrides?: Partial<ImapSettings>): ImapSettings;
  /** The environment that makes a badgedesk server poll this mailbox every second. */
  serverEnv(): Record<string, string>;
  /** Leaves a raw message in a folder (IMAP APPEND), unread; returns its UID. */
  deliver(raw: Buffer, mailbox?: string): Promise<number>;
  /** The messages of a folder with their flags (an absent folder has none). */
  messages(mailbox?: string): Promise<MessageInMailbox[]>;
  /** Deletes every message of every folder, between tests. */
  empty(): Promise<void>;
  /** Dovecot's log so far (sign-ins show their method: `method=XOAUTH2`). */
  log(): string;
  stop(): Promise<void>;
}

/**
 * Starts Dovecot with one user (password sign-in) and, with `oauth2IntrospectionUrl`, XOAUTH2 /
 * OAUTHBEARER sign-in whose bearer tokens Dovecot checks at that URL (RFC 7662 introspection,
 * answered by the test: `{"active": "true", "username": "<user>"}`).
 */
export async function startDovecot({ oauth2IntrospectionUrl }: { oauth2IntrospectionUrl?: string } = {}): Promise<Dovecot> {
  if (!DOVECOT) throw new Error(`Dovecot is not installed. ${INSTALL_HINT}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "badgedesk-dovecot-"));
  // Dovecot's own processes (not root) read the config and write the maildir.
  fs.chmodSync(dir, 0o755);
  const port = await freePort();
  const user = "care@badgedesk.test";
  const password = "dovecot-test-password";
  const asRoot = process.getuid?.() === 0;
  // As root, Dovecot refuses to run its login and mail processes as root: Debian's package creates these users.
  const me = os.userInfo().username;
  const [loginUser, internalUser, mailUser] = asRoot ? ["dovenull", "dovecot", "dovecot"] : [me, me, me];
  const mailDir = path.join(dir, "mail");
  fs.mkdirSync(mailDir);
  if (asRoot) fs.chownSync(mailDir, uidOf(mailUser), gidOf(mailUser));
  fs.writeFileSync(path.join(dir, "passwd"), `${user}:{PLAIN}${password}\n`);
  const oauth2 = Boolean(oauth2IntrospectionUrl);
  if (oauth2) {
    fs.writeFileSync(
      path.join(dir, "oauth2.conf.ext"),
      `introspection_mode = post\nintrospection_url = ${oauth2IntrospectionUrl}\nusername_attribute = username\nactive_attribute = active\nactive_value = true\n`,
    );
  }
  const config = `
instance_name = badgedesk-test-${port}
base_dir = ${dir}/run
state_dir = ${dir}/state
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login${oauth2 ? " xoauth2 oauthbearer" : ""}
log_path = ${dir}/dovecot.log
default_login_user = ${loginUser}
default_internal_user = ${internalUser}
${asRoot ? "" : `default_internal_group = ${groupOf(me)}`}
first_valid_uid = 1
mail_location = maildir:${mailDir}/%n
${
  oauth2
    ? `passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = ${dir}/oauth2.conf.ext
}`
    : ""
}
passdb {
  driver = passwd-file
  mechanisms = plain login
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${mailUser} gid=${asRoot ? mailUser : groupOf(me)} home=${mailDir}/%n
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
  chroot =
}
service anvil {
  chroot =
}
`;
  const configFile = path.join(dir, "dovecot.conf");
  fs.writeFileSync(configFile, config);
  const check = spawnSync(DOVECOT, ["-n", "-c", configFile], { encoding: "utf8" });
  if (check.status !== 0) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`Dovecot refused its test configuration: ${check.stderr.trim()}. ${INSTALL_HINT}`);
  }

  const child: ChildProcess = spawn(DOVECOT, ["-F", "-c", configFile], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  // A test process that ends without stop() (a crash, an interrupted run) leaves no Dovecot behind.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const readLog = () => (fs.existsSync(path.join(dir, "dovecot.log")) ? fs.readFileSync(path.join(dir, "dovecot.log"), "utf8") : "");
  try {
    await waitForGreeting(port, child);
  } catch (error) {
    process.off("exit", killOnExit);
    child.kill("SIGKILL");
    const log = readLog();
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`Dovecot did not start on 127.0.0.1:${port}: ${(error as Error).message}\n${stderr}${log}\n${INSTALL_HINT}`);
  }

  const settings = (overrides: Partial<ImapSettings> = {}): ImapSettings => ({
    host: "127.0.0.1",
    port,
    tls: "off",
    auth: { method: "password", user, password },
    mailbox: "INBOX",
    processedMailbox: null,
    pollIntervalMs: 1000,
    maxAttempts: 5,
    ...overrides,
  });

  const withClient = async <T>(work: (client: ImapFlow) => Promise<T>): Promise<T> => {
    const client = new ImapFlow({ host: "127.0.0.1", port, secure: false, doSTARTTLS: false, auth: { user, pass: password }, logger: false, disableAutoIdle: true });
    client.on("error", () => {});
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.logout().catch(() => client.close());
    }
  };

  return {
    host: "127.0.0.1",
    port,
    user,
    password,
    settings,
    serverEnv: () => ({ IMAP_HOST: "127.0.0.1", IMAP_PORT: String(port), IMAP_TLS: "off", IMAP_USER: user, IMAP_PASSWORD: password, IMAP_POLL_SECONDS: "1" }),
    async deliver(raw, mailbox = "INBOX") {
      return withClient(async (client) => {
        await client.mailboxCreate(mailbox).catch(() => {});
        const appended = await client.append(mailbox, raw, []);
        if (!appended || !appended.uid) throw new Error(`Dovecot did not take the message into ${mailbox}`);
        return appended.uid;
      });
    },
    async messages(mailbox = "INBOX") {
      return withClient(async (client) => {
        const folders = await client.list();
        if (!folders.some((f) => f.path === mailbox)) return [];
        const lock = await client.getMailboxLock(mailbox);
        try {
          const found: MessageInMailbox[] = [];
          if (!client.mailbox || client.mailbox.exists === 0) return found;
          for await (const m of client.fetch("1:*", { uid: true, flags: true, envelope: true })) {
            found.push({ uid: m.uid, flags: [...(m.flags ?? [])].filter((f) => f !== "\\Recent").sort(), messageId: m.envelope?.messageId ?? null });
          }
          return found.sort((a, b) => a.uid - b.uid);
        } finally {
          lock.release();
        }
      });
    },
    async empty() {
      await withClient(async (client) => {
        for (const folder of await client.list()) {
          const lock = await client.getMailboxLock(folder.path);
          try {
            if (client.mailbox && client.mailbox.exists > 0) await client.messageDelete("1:*");
          } finally {
            lock.release();
          }
        }
      });
    },
    log: readLog,
    async stop() {
      process.off("exit", killOnExit);
      child.kill("SIGTERM");
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Resolves once Dovecot greets on `port` (it starts in well under a second). */
async function waitForGreeting(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`it exited with code ${child.exitCode}`);
    const greeted = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("data", (data) => {
        socket.destroy();
        resolve(data.toString().startsWith("* OK"));
      });
      socket.once("error", () => resolve(false));
    });
    if (greeted) return;
    if (Date.now() > deadline) throw new Error("no greeting within 15 s");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function uidOf(name: string): number {
  return Number(spawnSync("id", ["-u", name], { encoding: "utf8" }).stdout.trim());
}

function gidOf(name: string): number {
  return Number(spawnSync("id", ["-g", name], { encoding: "utf8" }).stdout.trim());
}

function groupOf(name: string): string {
  return spawnSync("id", ["-gn", name], { encoding: "utf8" }).stdout.trim();
}
