import { describe, expect, test } from "vitest";
import { describeErrorForLog, redactSecrets } from "~/lib/log-redaction";

describe("what an error may write to the log", () => {
  test("a failed query's parameters never reach the log", () => {
    const error = new Error(
      'Failed query: insert into "accounts" ("name", "password_hash") values ($1, $2) returning "id"\nparams: Ana\u0000,$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo',
    );
    const logged = describeErrorForLog(error);
    expect(logged).toContain('Failed query: insert into "accounts"');
    expect(logged).not.toContain("argon2");
    expect(logged).not.toContain("Ana");
    expect(logged).toContain("params: [redacted]");
  });

  test("hashes, tokens, passwords, cookies and credentials in URLs are redacted wherever they appear", () => {
    const text = redactSecrets(
      "hash $argon2id$v=19$m=1,t=1,p=1$abc$def token=Zm9vYmFy password: hunter22 Cookie: bd_session=s%3Aabc.def postgres://app:s3cret@db:5432/x",
    );
    expect(text).not.toMatch(/abc\$def|Zm9vYmFy|hunter22|s%3Aabc|s3cret/);
    expect(text).toContain("postgres://app:[redacted]@db:5432/x");
  });
});
