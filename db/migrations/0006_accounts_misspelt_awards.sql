-- Awards sent to a misspelt address (ana@gmial.com for ana@gmail.com) are found from the
-- learner's real address with one index probe instead of one per possible misspelling.
-- accounts_intended_address() is the SQL twin of intendedAddress() in
-- app/modules/accounts/email-typos.ts (tests/integration/accounts-lookup.test.ts keeps the two in
-- step): a slip in a big provider's name ("gmial") or in its ".com" ("gmail.con") is corrected;
-- anything else comes back trimmed and lower-cased. One plain expression (no FROM), so PostgreSQL
-- inlines it: indexing 5 million awards takes under a minute, where a function with sub-selects
-- costs a full executor start per row.
CREATE OR REPLACE FUNCTION accounts_intended_address(address text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
  SELECT regexp_replace(
    regexp_replace(
    regexp_replace(
    regexp_replace(
    regexp_replace(
    regexp_replace(
    lower(regexp_replace(address, '^\s+|\s+$', '', 'g')),
    '^([^@]+)@(gmial|gmal|gmil|gamil|gmaill|gnail|gmai|gmali|gmaiil)\.([^@.]+)$', '\1@gmail.\3'),
    '^([^@]+)@(hotmial|hotmal|hotmai|hotmil|homail|hotamil|hotmaill|hotnail)\.([^@.]+)$', '\1@hotmail.\3'),
    '^([^@]+)@(outlok|outllok|outloo|otlook|outlookk)\.([^@.]+)$', '\1@outlook.\3'),
    '^([^@]+)@(yaho|yahooo|yhoo|yahho|yaoo)\.([^@.]+)$', '\1@yahoo.\3'),
    '^([^@]+)@(iclod|icoud|icluod)\.([^@.]+)$', '\1@icloud.\3'),
    '^([^@]+)@(gmail|hotmail|outlook|yahoo|icloud|live|aol)\.(con|cm|co|om|cmo|ocm|comm|vom|xom|cim)$', '\1@\2.com')
$$;
--> statement-breakpoint
-- Only misspelt recipients are indexed: a small index, whatever the number of awards.
CREATE INDEX IF NOT EXISTS "awards_recipient_intended_idx" ON "awards" USING btree (accounts_intended_address("recipient_email"))
  WHERE accounts_intended_address("recipient_email") <> lower("recipient_email");
--> statement-breakpoint
-- Without statistics on the expression the planner guesses thousands of awards per probe, and a
-- statement costed that high gets JIT-compiled: seconds, for a sub-millisecond lookup.
CREATE STATISTICS IF NOT EXISTS "awards_recipient_intended_stats" ON (accounts_intended_address("recipient_email")) FROM "awards";
