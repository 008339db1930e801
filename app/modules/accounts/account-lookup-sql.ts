// The one statement behind every award-state lookup: an account, found by any of its addresses
// (any case, verified or not) or by id, with its addresses, pending address moves, the awards to
// all of them (and to their likely misspellings), revocation history and pathway invitations.
// One round trip, index lookups only (lower(email) on account_emails and pathway_invitations;
// lower(recipient_email) on awards, a covering index read without visiting the table (migration
// 0008); accounts_intended_address(recipient_email) on misspelt awards; award_id on revocations),
// so it costs the same with millions of rows. It touches 15 relations, tables and indexes
// together: up to 16, PostgreSQL takes their locks on a fast path private to the connection;
// beyond, through a shared lock table that 4 concurrent callers queue on. Badge and pathway
// names are therefore not joined here (badge-catalog.server.ts). Plain text, so that the
// benchmark can hand the very same statement to pgbench.

/**
 * The statement body after the `target(account_id)` CTE. Columns: account_id, name, disabled_at,
 * emails, awards, revocations, invitations (the last four JSON arrays, in no particular order:
 * an ordered aggregate sorts in a tuplesort of its own, which costs more than the sort in
 * JavaScript, and so does a sub-select per award, hence revocations as one list of their own).
 */
const LOOKUP_BODY = `,
addresses as (
  select e.id, e.email, e.verified_at, e.is_primary, e.created_at, 'own' as kind
  from account_emails e join target t on e.account_id = t.account_id
  union all
  select e.id, e.email, e.verified_at, false, c.created_at,
         case when e.verified_at is null then 'claim' else 'claim_taken' end
  from account_email_claims c
  join target t on c.account_id = t.account_id
  join account_emails e on e.id = c.email_id and e.account_id <> t.account_id
),
live as (
  select lower(email) as address, kind, verified_at is not null as verified
  from addresses where kind <> 'claim_taken'
),
found as (
  select a.id, a.badge_class_id, a.recipient_email, a.issued_on, a.expires_at, a.removed_by_learner_at,
         case when l.kind = 'own' and l.verified then 'this_account_verified' else 'this_account_unverified' end as holder,
         case when l.kind = 'own' then 'own' else 'claim' end as via
  from live l join awards a on lower(a.recipient_email) = l.address
  union all
  -- Awards to a likely misspelling of an address (ana@gmial.com for ana@gmail.com): one probe
  -- per address into a partial index that holds only misspelt recipients (migration 0006). A
  -- misspelling that is itself one of the account's addresses comes back twice; the records
  -- keep the "own" one (account-lookup.ts). LATERAL keeps it a probe, and LIMIT caps the
  -- planner's guess should the expression's statistics be missing: a statement costed in the
  -- hundreds of thousands gets JIT-compiled, which takes seconds, for a sub-millisecond query.
  select m.id, m.badge_class_id, m.recipient_email, m.issued_on, m.expires_at, m.removed_by_learner_at,
         case when h.id is null then 'no_account'
              when h.verified_at is not null then 'other_account_verified'
              else 'other_account_unverified' end,
         'typo'
  from live l
  cross join lateral (
    select m.id, m.badge_class_id, m.recipient_email, m.issued_on, m.expires_at, m.removed_by_learner_at
    from awards m
    where accounts_intended_address(m.recipient_email) = l.address
      and accounts_intended_address(m.recipient_email) <> lower(m.recipient_email)
    limit 1000
  ) m
  left join account_emails h on lower(h.email) = lower(m.recipient_email)
)
select t.account_id, acc.name, acc.disabled_at,
  (select coalesce(json_agg(json_build_object(
            'id', ad.id, 'email', ad.email, 'verifiedAt', ad.verified_at, 'primary', ad.is_primary,
            'createdAt', ad.created_at, 'kind', ad.kind)), '[]'::json)
   from addresses ad) as emails,
  (select coalesce(json_agg(json_build_object(
            'id', f.id, 'badgeClassId', f.badge_class_id, 'recipientEmail', f.recipient_email, 'issuedOn', f.issued_on, 'expiresAt', f.expires_at,
            'removedByLearnerAt', f.removed_by_learner_at, 'holder', f.holder, 'via', f.via)), '[]'::json)
   from found f) as awards,
  (select coalesce(json_agg(json_build_object(
            'id', r.id, 'awardId', r.award_id, 'reason', r.reason, 'revokedBy', r.revoked_by, 'revokedAt', r.revoked_at,
            'reinstatedAt', r.reinstated_at, 'reinstatementAuthorisedBy', r.reinstatement_authorised_by,
            'reinstatementReference', r.reinstatement_reference, 'reinstatementAuthorisedOn', r.reinstatement_authorised_on)), '[]'::json)
   from found f join revocations r on r.award_id = f.id) as revocations,
  (select coalesce(json_agg(json_build_object(
            'id', pi.id, 'pathwayId', pi.pathway_id, 'email', pi.email,
            'status', pi.status, 'sentAt', pi.sent_at)), '[]'::json)
   from live l join pathway_invitations pi on lower(pi.email) = l.address) as invitations
from target t join accounts acc on acc.id = t.account_id`;

/**
 * Without comments and indentation: postgres.js hashes the whole text on every call to find its
 * prepared statement, so the text costs time on each lookup, not only at PREPARE.
 */
function compact(statement: string): string {
  return statement
    .replace(/--[^\n]*/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

/** $1 = any address of the account, in any case. */
export const LOOKUP_BY_EMAIL_SQL = compact(`with target as (
  select account_id from account_emails where lower(email) = lower(btrim($1::text)) limit 1
)${LOOKUP_BODY}`);

/** $1 = the account id. */
export const LOOKUP_BY_ACCOUNT_SQL = compact(`with target as (
  select id as account_id from accounts where id = $1::uuid
)${LOOKUP_BODY}`);

/**
 * The lookup as part of a bigger statement: its body after a `target(account_id)` CTE of the
 * caller's (e.g. `with target as (select p.account_id)` inside a sub-select), giving one row.
 */
export const LOOKUP_AFTER_TARGET_SQL = compact(LOOKUP_BODY);
