// npx tsx scripts/security-probe.ts --url http://localhost:3000 [--app-url https://…] [--server-log server.log]
//
// Sends the probes of issue 10 (security and reliability) to a running production server with the
// demo data, the way its prober did, and prints a markdown table: item, probe, expected, answer
// seen, pass/fail. Exits 1 when any probe fails. See docs/SECURITY.md.
//
// - Start the server with TRUST_PROXY=1: each run then comes from an address of its own (the
//   right-most X-Forwarded-For), so the per-client limits of an earlier run don't get in the way.
//   Without it every run shares 127.0.0.1 and a second run within the hour meets its sign-up limit.
// - --app-url: the server's APP_URL when it differs from --url (the Origin and Host a browser
//   behind a proxy would send), e.g. a PGlite server with an https APP_URL for the mailbox rule.
// - --server-log: the server's output, to check that no password or hash reached it (item 8).
// Items 5 (outage), 15 (SIGTERM), the two-instance rules and data retention can't be probed on a
// running server without stopping it; their tests are listed in docs/SECURITY.md.
import { spawn } from "node:child_process";
import { randomInt, randomUUID } from "node:crypto";
import fs from "node:fs";
import http from "node:http";

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ""), process.argv[i + 1] ?? "");
const base = new URL(args.get("url") ?? "http://localhost:3000");
const appOrigin = new URL(args.get("app-url") ?? base.href).origin;
const serverLog = args.get("server-log");

const DEMO_PASSWORD = "badgedesk-demo";
const PROBE_PASSWORD = "probing for badges 42";
const run = randomUUID().slice(0, 8);
// This run's own client address (198.18.0.0/15 is for benchmarks), as a proxy would append it.
const randomClient = () => `198.18.${randomInt(0, 256)}.${randomInt(1, 255)}`;
const me = randomClient();

// ---------------------------------------------------------------------------------------------
// HTTP: raw requests (fetch refuses TRACE and control characters), every 429 remembered.

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  ms: number;
}
const tooManySeen: { probe: string; retryAfter: string | undefined }[] = [];

function send(method: string, path: string, { headers = {}, body, client = me }: { headers?: Record<string, string>; body?: string; client?: string } = {}): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: base.hostname,
        port: base.port,
        method,
        path,
        // A proxy in front of the app passes the public Host on (Remix compares it with the Origin of a form post).
        headers: { Host: new URL(appOrigin).host, "X-Forwarded-For": client, ...(body !== undefined ? { "Content-Length": String(Buffer.byteLength(body)) } : {}), ...headers },
      },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk) => (text += chunk));
        response.on("end", () => {
          const answer = { status: response.statusCode ?? 0, headers: response.headers, body: text, ms: performance.now() - started };
          if (answer.status === 429) tooManySeen.push({ probe: `${method} ${path}`, retryAfter: header(answer, "retry-after") });
          resolve(answer);
        });
      },
    );
    request.on("error", reject);
    if (body !== undefined) request.write(body);
    request.end();
  });
}

const FORM = "application/x-www-form-urlencoded";
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const header = (a: Answer, name: string) => {
  const value = a.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
};
/** A form post as a browser on the site sends it. */
const post = (path: string, fields: Record<string, string>, { cookie, client, headers = {} }: { cookie?: string; client?: string; headers?: Record<string, string> } = {}) =>
  send("POST", path, { client, body: form(fields), headers: { Origin: appOrigin, "Content-Type": FORM, ...(cookie ? { Cookie: cookie } : {}), ...headers } });
const get = (path: string, { cookie, client }: { cookie?: string; client?: string } = {}) => send("GET", path, { client, headers: cookie ? { Cookie: cookie } : {} });

function sessionCookie(a: Answer): string | null {
  const cookie = [a.headers["set-cookie"] ?? []].flat().find((c) => c.startsWith("bd_session=") && !c.startsWith("bd_session=;"));
  return cookie ? cookie.split(";")[0] : null;
}
async function logIn(email: string, password: string, client = me): Promise<{ answer: Answer; cookie: string | null }> {
  const answer = await post("/login", { email, password, redirectTo: "/" }, { client });
  return { answer, cookie: sessionCookie(answer) };
}
async function signUp(name: string, email: string, password = PROBE_PASSWORD, client = me): Promise<{ answer: Answer; cookie: string | null }> {
  const answer = await post("/signup", { name, email, password }, { client });
  return { answer, cookie: sessionCookie(answer) };
}

/** The few entities React writes. */
const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
/** A page's visible text in <main> (tags dropped, entities decoded). */
function text(html: string): string {
  const main = /<main[\s\S]*<\/main>/.exec(html)?.[0] ?? html;
  return decode(main.replace(/<script[\s\S]*?<\/script>/g, " ").replace(/<[^>]+>/g, " ")).replace(/\s+/g, " ");
}
/** The error shown beside a form field (components/form.tsx: <p id="field-NAME-error">). */
const fieldError = (html: string, name: string) => text(new RegExp(`<p class="field__error" id="field-${name}-error">([^<]*)</p>`).exec(html)?.[1] ?? "").trim() || null;
const short = (s: string, n = 70) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

// The development mailbox, read as the demo admin (who may always read it).
let adminCookie: string | null = null;
async function mailTo(address: string, subject: RegExp): Promise<string | null> {
  adminCookie ??= (await logIn("alex.morgan@badgedesk.example", DEMO_PASSWORD)).cookie;
  for (let attempt = 0; attempt < 20; attempt++) {
    const list = await get("/dev/mailbox", { cookie: adminCookie ?? undefined });
    for (const row of list.body.matchAll(/<tr><td>([^<]*)<\/td><td><a[^>]*href="(\/dev\/mailbox\/[0-9a-f-]{36})"[^>]*>([^<]*)<\/a>/g)) {
      if (row[1].toLowerCase() === address.toLowerCase() && subject.test(text(row[3]))) {
        const message = await get(row[2], { cookie: adminCookie ?? undefined });
        // The message's text, as the page shows it in <pre> (lines kept).
        const pre = /<pre[^>]*>([\s\S]*?)<\/pre>/.exec(message.body)?.[1];
        return pre ? decode(pre.replace(/<[^>]+>/g, "")) : text(message.body);
      }
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// The table.

interface Row {
  item: string;
  probe: string;
  expected: string;
  seen: string;
  pass: boolean;
}
const rows: Row[] = [];
async function check(item: string, probe: string, expected: string, measure: () => Promise<{ seen: string; pass: boolean }>) {
  try {
    rows.push({ item, probe, expected, ...(await measure()) });
  } catch (error) {
    rows.push({ item, probe, expected, seen: `error: ${(error as Error).message}`, pass: false });
  }
}
const status = (a: Answer) => `${a.status}${header(a, "location") ? ` → ${header(a, "location")}` : ""}`;

// Badge names the demo awards to addresses nobody proved (db/seed.ts).
const BEN_MISSPELT = "ben.okafor@gmial.example";
const ANA_SCHOOL = "ana.souza@lakeside.example.edu";
const HIDDEN_BADGES = /3D Printing Safety|Data Literacy Level 1|Spreadsheet Skills/;
const namesIn = (html: string) => {
  const named = HIDDEN_BADGES.exec(text(html))?.[0];
  return named ? `names “${named}”` : "no badge named";
};

async function main() {
  const health = JSON.parse((await get("/healthz")).body) as { driver?: string };
  const localHttp = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(appOrigin);

  // 1. Badge awards disclosed to someone who never proved the address.
  await check("1", `sign up with ${BEN_MISSPELT} (on no account), My badges without verifying`, "no badge named", async () => {
    const { cookie } = await signUp("Mallory Probe", BEN_MISSPELT);
    if (!cookie) return { seen: "not signed in after sign-up", pass: true };
    const page = await get("/my/badges", { cookie });
    return { seen: `${page.status}, ${namesIn(page.body)}${/may be waiting/.test(page.body) ? ", “may be waiting”" : ""}`, pass: page.status === 200 && !HIDDEN_BADGES.test(text(page.body)) };
  });
  await check("1", `log in with the unverified ${BEN_MISSPELT}, My badges`, "no badge named", async () => {
    const { answer, cookie } = await logIn(BEN_MISSPELT, PROBE_PASSWORD);
    if (!cookie) return { seen: `${answer.status}, not signed in`, pass: answer.status < 500 };
    const page = await get("/my/badges", { cookie });
    return { seen: `${page.status}, ${namesIn(page.body)}`, pass: page.status === 200 && !HIDDEN_BADGES.test(text(page.body)) };
  });
  await check("1", `sign up with Ana's unverified ${ANA_SCHOOL}, My badges`, "no badge named; the address stays on Ana's account", async () => {
    const { cookie } = await signUp("Mallory Probe", ANA_SCHOOL);
    const page = cookie ? await get("/my/badges", { cookie }) : null;
    const ana = (await logIn("ana.souza@example.org", DEMO_PASSWORD)).cookie;
    const hers = await get("/my/badges", { cookie: ana ?? undefined });
    const kept = text(hers.body).includes(ANA_SCHOOL);
    return { seen: `newcomer: ${page ? namesIn(page.body) : "not signed in"}; Ana ${kept ? "keeps" : "lost"} the address`, pass: (!page || !HIDDEN_BADGES.test(text(page.body))) && kept };
  });
  await check("1", `signed in, add Ana's ${ANA_SCHOOL} on My badges`, "no badge named", async () => {
    const { cookie } = await signUp("Mallory Adds", `mallory-${run}@probe.example`);
    if (!cookie) return { seen: "could not sign up", pass: false };
    const added = await post("/my/badges", { intent: "add-email", email: ANA_SCHOOL }, { cookie });
    const page = await get("/my/badges", { cookie });
    return { seen: `add: ${status(added)}; My badges ${namesIn(page.body)}`, pass: added.status < 500 && !HIDDEN_BADGES.test(text(page.body)) };
  });

  // 2. The development mailbox.
  const mailboxOpen = health.driver === "pglite" && localHttp;
  await check("2", "anonymous GET /dev/mailbox", mailboxOpen ? "open (local PGlite, http localhost APP_URL), banner on every page" : "302 to /login (admins only)", async () => {
    const box = await get("/dev/mailbox");
    const home = await get("/");
    const banner = /development mailbox is open to anyone/i.test(home.body.replace(/<[^>]+>/g, ""));
    const seen = `${status(box)}; banner on / ${banner ? "shown" : "absent"}`;
    return { seen, pass: mailboxOpen ? box.status === 200 && banner : box.status === 302 && /^\/login/.test(header(box, "location") ?? "") && !banner };
  });

  // 3. Open redirect: every redirect target taken from input.
  const learner = (await logIn("ben.okafor@gmail.example", DEMO_PASSWORD)).cookie ?? undefined;
  for (const target of ["%2F%09%2Fevil.example", "%2F%5Cevil.example", "%2F%2Fevil.example", "https%3A%2F%2Fevil.example", "%2F%0A%2Fevil.example", "%2F%0D%0ASet-Cookie%3Ax", "%2F%00", "%2F%E3%80%80x", "%2F%20x"]) {
    await check("3", `signed in, GET /login?redirectTo=${target}`, "a redirect that stays on the site, never a 5xx", async () => {
      const answer = await get(`/login?redirectTo=${target}`, { cookie: learner });
      const location = header(answer, "location") ?? "";
      const stays = location !== "" && new URL(location, appOrigin).origin === appOrigin && !/[\s\\]/.test(location);
      return { seen: status(answer), pass: answer.status >= 300 && answer.status < 400 && stays };
    });
  }
  await check("3", "POST /login with redirectTo=/\\t/evil.example", "303/302 → /", async () => {
    const answer = await post("/login", { email: "ben.okafor@gmail.example", password: DEMO_PASSWORD, redirectTo: "/\t/evil.example" });
    return { seen: status(answer), pass: answer.status >= 300 && answer.status < 400 && header(answer, "location") === "/" };
  });
  for (const path of ["/tickets/suggestions?to=%2F%2Fevil.example&slug=x", "/tickets/suggestions?to=%2F%09%2Fevil.example", "/search/open?to=https%3A%2F%2Fevil.example", "/search/open?to=%2F%2Fevil.example"]) {
    await check("3", `GET ${path}`, "not followed off the site (404)", async () => {
      const answer = await get(path);
      const location = header(answer, "location");
      return { seen: status(answer), pass: answer.status < 500 && (!location || new URL(location, appOrigin).origin === appOrigin) };
    });
  }

  // 4. X-Forwarded-For: the client may write anything to the left; only the proxy's address counts.
  await check("4", "12 forgot-password posts, each with a new left-most X-Forwarded-For, one real client", "the 11th and 12th refused (429): the limit of 10 per client holds", async () => {
    const client = randomClient();
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const answer = await post("/forgot-password", { email: `nobody-${run}-${i}@probe.example` }, { client: `${randomClient()}, ${client}` });
      statuses.push(answer.status);
    }
    return { seen: statuses.join(" "), pass: statuses.slice(0, 10).every((s) => s < 400) && statuses.slice(10).every((s) => s === 429) };
  });

  // 6. Cache-Control on everything personal.
  const admin = (await logIn("alex.morgan@badgedesk.example", DEMO_PASSWORD)).cookie ?? undefined;
  for (const [path, cookie, who] of [
    ["/my/badges", learner, "learner"],
    ["/tickets/new", learner, "learner"],
    ["/faq", learner, "learner"],
    ["/admin/roles", admin, "admin"],
    ["/dev/mailbox", admin, "admin"],
    ["/reset-password?token=abcdefghijklmnopqrstuv", undefined, "anonymous"],
  ] as const) {
    await check("6", `GET ${path} (${who})`, "Cache-Control: private, no-store", async () => {
      const answer = await get(path, { cookie });
      return { seen: `${answer.status}, ${header(answer, "cache-control") ?? "none"}`, pass: header(answer, "cache-control") === "private, no-store" };
    });
  }
  await check("6", "GET /faq (anonymous)", "cacheable (public)", async () => {
    const answer = await get("/faq");
    return { seen: `${answer.status}, ${header(answer, "cache-control") ?? "none"}`, pass: /^public/.test(header(answer, "cache-control") ?? "") };
  });

  // 7. Malformed input: the right 4xx with a readable page.
  const own = { Origin: appOrigin };
  const malformed: [string, () => Promise<Answer>, number][] = [
    ["GET /faq/%FF", () => send("GET", "/faq/%FF"), 400],
    ["GET /tickets/%", () => send("GET", "/tickets/%"), 400],
    ["POST /signup, no content type", () => send("POST", "/signup", { headers: own, body: "name=x" }), 415],
    ["POST /signup, text/plain", () => send("POST", "/signup", { headers: { ...own, "Content-Type": "text/plain" }, body: "name=x" }), 415],
    ["POST /login, JSON", () => send("POST", "/login", { headers: { ...own, "Content-Type": "application/json" }, body: '{"email":"a@b.c"}' }), 415],
    ["POST /tickets/new, JSON", () => send("POST", "/tickets/new", { headers: { ...own, "Content-Type": "application/json" }, body: "{}" }), 415],
    ["TRACE /", () => send("TRACE", "/"), 405],
    ["DELETE /tickets/new", () => send("DELETE", "/tickets/new", { headers: own }), 405],
    ["PUT /signup", () => send("PUT", "/signup", { headers: { ...own, "Content-Type": FORM }, body: "" }), 405],
    ["NUL in the sign-up name", () => post("/signup", { name: "Ana\u0000", email: `nul-${run}@probe.example`, password: PROBE_PASSWORD }), 400],
    ["NUL in the login address", () => post("/login", { email: "ana\u0000@example.org", password: "x" }), 400],
    ["NUL in a guest ticket", () => post("/tickets/new", { email: `guest-${run}@probe.example`, name: "G", category: "other", subject: "Hi\u0000", description: "text\u0000", idempotencyKey: randomUUID() }), 400],
    ["NUL in a reset token", () => post("/reset-password?token=x", { token: "abc\u0000defghijkl", password: PROBE_PASSWORD, confirm: PROBE_PASSWORD }), 400],
    ["GET /tickets/guest/%00", () => send("GET", "/tickets/guest/%00"), 404],
    ["POST /forgot-password with its Origin but Host: evil.example", () => post("/forgot-password", { email: `host-${run}@probe.example` }, { headers: { Host: "evil.example" } }), 400],
    ["POST /forgot-password with its Origin but X-Forwarded-Host: evil.example", () => post("/forgot-password", { email: `host-${run}@probe.example` }, { headers: { "X-Forwarded-Host": "evil.example" } }), 400],
    ["admin grants a role to an unknown account id", () => post("/admin/roles", { intent: "grant", accountId: "00000000-0000-4000-8000-000000000000", role: "agent" }, { cookie: admin }), 404],
    ["admin grants a role to a malformed account id", () => post("/admin/roles", { intent: "grant", accountId: "not-an-id", role: "agent" }, { cookie: admin }), 400],
  ];
  for (const [name, request, expected] of malformed) {
    await check("7", name, `${expected} with a readable page`, async () => {
      const answer = await request();
      const readable = /<h1[^>]*>[^<]+<\/h1>/.test(answer.body) && !/at \w+ \(|drizzle|TypeError|SyntaxError/.test(answer.body);
      return { seen: `${answer.status}${readable ? ", page with a heading" : ", no readable page"}`, pass: answer.status === expected && readable };
    });
  }

  // 8. Secrets in the log (needs the server's output).
  await check("8", "sign-up with a NUL byte in the name, then read the server log", "no password hash or typed password in the log", async () => {
    if (!serverLog) return { seen: "not checked: no --server-log given", pass: false };
    await post("/signup", { name: "Log\u0000Probe", email: `log-${run}@probe.example`, password: PROBE_PASSWORD });
    await new Promise((r) => setTimeout(r, 500));
    const log = fs.readFileSync(serverLog, "utf8");
    // (The demo password is printed at start-up on purpose, with the demo sign-ins.)
    const leaks = ["$argon2", PROBE_PASSWORD].filter((secret) => log.includes(secret));
    return { seen: leaks.length ? `log holds ${leaks.join(", ")}` : `${log.split("\n").length} log lines, none with a password or hash`, pass: leaks.length === 0 };
  });

  // 9. Password policy.
  for (const password of ["1234567890", "password12", "          ", "qwertyuiop"]) {
    await check("9", `sign up with the password ${JSON.stringify(password)}`, "400, the reason beside the password field", async () => {
      const answer = await post("/signup", { name: "Weak Probe", email: `weak-${run}-${randomInt(1e6)}@probe.example`, password });
      const reason = fieldError(answer.body, "password");
      return { seen: `${answer.status}${reason ? `: “${short(reason, 60)}”` : ", no reason beside the field"}`, pass: answer.status === 400 && reason !== null };
    });
  }

  // 10. Lockout: per address and client, growing waits; the owner still gets in.
  const owner = `owner-${run}@probe.example`;
  const attacker = randomClient();
  await signUp("Owner Probe", owner);
  await check("10", "an attacker's client guesses the owner's password: 3 wrong, then the right one after each wait", "refused (429) each time, the wait growing: 2, 4, 8 s", async () => {
    for (let i = 0; i < 3; i++) await logIn(owner, `wrong guess ${i}`, attacker);
    const waits: string[] = [];
    for (let i = 0; i < 3; i++) {
      const right = (await logIn(owner, PROBE_PASSWORD, attacker)).answer;
      waits.push(`${right.status} (Retry-After ${header(right, "retry-after") ?? "none"})`);
      // Let the wait pass, then fail once more.
      await new Promise((r) => setTimeout(r, Number(header(right, "retry-after") ?? 0) * 1000 + 200));
      await logIn(owner, `another guess ${i}`, attacker);
    }
    return { seen: waits.join(", "), pass: waits.join(", ") === "429 (Retry-After 2), 429 (Retry-After 4), 429 (Retry-After 8)" };
  });
  await check("10", "the owner logs in from another client", "signed in at once", async () => {
    const { answer, cookie } = await logIn(owner, PROBE_PASSWORD, randomClient());
    return { seen: `${status(answer)}${cookie ? ", session" : ", no session"}`, pass: Boolean(cookie) };
  });
  await check("10", "the owner uses a password-reset link, then logs in from the attacker's client", "the new password works at once", async () => {
    await post("/forgot-password", { email: owner }, { client: attacker });
    const mail = await mailTo(owner, /reset/i);
    const token = mail && /reset-password\?token=([\w-]+)/.exec(mail)?.[1];
    if (!token) return { seen: "no reset mail", pass: false };
    const reset = await post(`/reset-password?token=${token}`, { token, password: `${PROBE_PASSWORD} renewed`, confirm: `${PROBE_PASSWORD} renewed` }, { client: attacker });
    const { answer, cookie } = await logIn(owner, `${PROBE_PASSWORD} renewed`, attacker);
    return { seen: `reset ${status(reset)}; log in ${answer.status}${cookie ? ", session" : ""}`, pass: reset.status < 400 && Boolean(cookie) };
  });

  // 11. Account enumeration.
  await check(
    "11",
    "sign up with a verified address (Ana's) and with a new one",
    "the same status, redirect and page, no word of an existing account; Ana is mailed “someone tried to sign up” (the new account alone is signed in: README's decision)",
    async () => {
      const known = await signUp("Enum Probe", "ana.souza@example.org");
      const fresh = await signUp("Enum Probe", `fresh-${run}@probe.example`);
      const shape = (s: { answer: Answer }) => `${s.answer.status} → ${(header(s.answer, "location") ?? "").replace(/email=[^&]*/, "email=…")}`;
      // The page each lands on, as an anonymous browser sees it (the address typed left out).
      const landing = async (s: { answer: Answer }, email: string) => text((await get(header(s.answer, "location") ?? "/")).body).replaceAll(email, "…");
      const samePage = (await landing(known, "ana.souza@example.org")) === (await landing(fresh, `fresh-${run}@probe.example`));
      const tells = /already (belongs|has|in use)|exists/i.test(known.answer.body + (await landing(known, "ana.souza@example.org")));
      const mail = await mailTo("ana.souza@example.org", /tried to sign up/i);
      const sessions = `session: known ${known.cookie ? "yes" : "no"}, new ${fresh.cookie ? "yes" : "no"}`;
      return {
        seen: `${shape(known)} both ${shape(known) === shape(fresh) ? "alike" : `≠ ${shape(fresh)}`}; page ${samePage ? "alike" : "differs"}; ${sessions}; mail to Ana: ${mail ? "yes" : "no"}`,
        pass: shape(known) === shape(fresh) && samePage && !tells && mail !== null,
      };
    },
  );
  // The prober saw 14 ms against 9 ms. On a busy machine single requests swing by several ms, so
  // the two are sent as pairs, in random order, and the median of the pairs' differences (each pair
  // shares the machine's load of its moment) must be within 2 ms or a fifth of a request's time.
  await check("11", "forgot-password, 40 pairs: a known and an unknown address (random order, each from its own client)", "the same answer; the pairs' median difference within 2 ms or 20 %", async () => {
    const differences: number[] = [];
    const all: number[] = [];
    const bodies = new Set<string>();
    const ask = async (email: string) => {
      const answer = await post("/forgot-password", { email }, { client: randomClient() });
      bodies.add(`${answer.status} ${text(answer.body).replace(email, "…")}`);
      all.push(answer.ms);
      return answer.ms;
    };
    for (let i = 0; i < 40; i++) {
      // One address each, asked for again and again (past its limit of 3 an hour both do the same work).
      const [known, unknown] = ["dev.patel@example.net", `nobody-${run}@probe.example`];
      const knownFirst = Math.random() < 0.5;
      const first = await ask(knownFirst ? known : unknown);
      const second = await ask(knownFirst ? unknown : known);
      differences.push(knownFirst ? first - second : second - first);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
    const [difference, typical] = [median(differences), median(all)];
    const close = Math.abs(difference) < Math.max(2, 0.2 * typical);
    return {
      seen: `${bodies.size === 1 ? "same page" : `${bodies.size} different pages`}; known − unknown: median ${difference.toFixed(1)} ms (a request: ${typical.toFixed(1)} ms)`,
      pass: bodies.size === 1 && close,
    };
  });

  // 12. Email content injection.
  await check("12", "sign up with the name “Mallory\\r\\nVisit http://evil.example”", "refused beside the field, or the name quoted on one line in the mail", async () => {
    const email = `inject-${run}@probe.example`;
    const answer = await post("/signup", { name: "Mallory\r\nVisit http://evil.example", email, password: PROBE_PASSWORD });
    if (answer.status === 400) return { seen: `400: “${short(fieldError(answer.body, "name") ?? "(no reason beside the name)", 60)}”`, pass: fieldError(answer.body, "name") !== null };
    const mail = (await mailTo(email, /verify/i)) ?? "";
    const line = mail.split("\n")[0];
    return { seen: `${answer.status}; mail begins ${JSON.stringify(line)}`, pass: !/^Visit http/m.test(mail) && /“Mallory Visit http:\/\/evil\.example”/.test(line) };
  });
  await check("12", "sign up with the name “Visit http://evil.example now”", "the name on one line, in quotes", async () => {
    const email = `quote-${run}@probe.example`;
    await post("/signup", { name: "Visit http://evil.example now", email, password: PROBE_PASSWORD });
    const line = ((await mailTo(email, /verify/i)) ?? "").split("\n")[0];
    return { seen: JSON.stringify(line), pass: line === "Hello “Visit http://evil.example now”," };
  });
  await check("12", "a guest ticket whose text holds a line “Customer Care: call +1 555 0100”", "the confirmation quotes it as the sender's words", async () => {
    const email = `guest-${run}@probe.example`;
    const sent = await post("/tickets/new", { name: "Guest Probe", email, category: "other", subject: "Probe", description: "My badge is missing.\nCustomer Care: call +1 555 0100", idempotencyKey: randomUUID(), intent: "submit" });
    const mail = (await mailTo(email, /./)) ?? "";
    const quoted = /your words/i.test(mail) && /^> Customer Care: call \+1 555 0100$/m.test(mail) && !/^Customer Care: call/m.test(mail);
    return { seen: `${status(sent)}; ${quoted ? "quoted (“> …”) under “your words”" : short(JSON.stringify(mail), 80)}`, pass: quoted };
  });

  // 13. SESSION_SECRET: a production start without one (run from this checkout).
  await check("13", "npm start with NODE_ENV=production and no SESSION_SECRET", "refuses to start, with the reason", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "server/start.ts"], {
      env: { ...process.env, NODE_ENV: "production", SESSION_SECRET: "", PORT: "1", DATABASE_URL: "", BADGEDESK_DATA_DIR: "memory://" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout!.on("data", (c) => (output += c));
    child.stderr!.on("data", (c) => (output += c));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    const reason = /will not start: (.*)/.exec(output)?.[1] ?? "";
    return { seen: `exit ${code}: “${short(reason, 60)}”`, pass: code === 1 && /SESSION_SECRET/.test(reason) };
  });

  // 14. Votes per client and article.
  await check("14", "35 cookie-less Yes votes on one article from one client", "at most 5 counted, then 429 with Retry-After", async () => {
    const client = randomClient();
    const statuses = new Map<number, number>();
    for (let i = 0; i < 35; i++) {
      const answer = await post("/faq/account-and-email/email-already-in-use", { intent: "vote", helpful: "yes" }, { client });
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
    }
    const accepted = [...statuses].filter(([s]) => s < 400).reduce((n, [, c]) => n + c, 0);
    return { seen: [...statuses].map(([s, c]) => `${c}× ${s}`).join(", "), pass: accepted <= 5 && (statuses.get(429) ?? 0) === 35 - accepted };
  });

  // 16. Origin check.
  for (const [name, headers, expected] of [
    ["no Origin, no Sec-Fetch-Site", {}, 403],
    ["only a foreign Referer", { Referer: "https://evil.example/page" }, 403],
    ["a foreign Origin", { Origin: "https://evil.example" }, 403],
    ["the app's host over the other scheme", { Origin: appOrigin.startsWith("https:") ? appOrigin.replace("https:", "http:") : appOrigin.replace("http:", "https:") }, 403],
    ["the app's host on another port", { Origin: `${new URL(appOrigin).protocol}//${new URL(appOrigin).hostname}:1` }, 403],
    ["Sec-Fetch-Site: cross-site", { "Sec-Fetch-Site": "cross-site" }, 403],
    ["no Origin, Sec-Fetch-Site: same-origin (a browser)", { "Sec-Fetch-Site": "same-origin" }, 200],
  ] as const) {
    await check("16", `POST /forgot-password with ${name}`, expected === 403 ? "403" : "accepted", async () => {
      const answer = await send("POST", "/forgot-password", { client: randomClient(), headers: { "Content-Type": FORM, ...headers }, body: form({ email: `origin-${run}@probe.example` }) });
      return { seen: String(answer.status), pass: expected === 403 ? answer.status === 403 : answer.status < 400 };
    });
  }

  // 17. Retry-After on every 429 met above.
  await check("17", `every 429 this run met (${tooManySeen.length})`, "each with Retry-After", async () => {
    const without = tooManySeen.filter((t) => !t.retryAfter);
    return { seen: without.length ? `${without.length} without: ${short(without.map((t) => t.probe).join(", "))}` : `all ${tooManySeen.length} carry it`, pass: tooManySeen.length > 0 && without.length === 0 };
  });

  console.log(`Probes of issue 10 against ${base.origin} (APP_URL ${appOrigin}, database ${health.driver ?? "?"}), run ${run}\n`);
  console.log("| item | probe | expected | answer seen | result |\n|---|---|---|---|---|");
  const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
  for (const r of rows) console.log(`| ${r.item} | ${cell(r.probe)} | ${cell(r.expected)} | ${cell(r.seen)} | ${r.pass ? "pass" : "**FAIL**"} |`);
  const failed = rows.filter((r) => !r.pass).length;
  console.log(`\n${rows.length - failed} of ${rows.length} probes pass${failed ? `; ${failed} fail` : ""}.`);
  process.exitCode = failed ? 1 : 0;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 2;
});
