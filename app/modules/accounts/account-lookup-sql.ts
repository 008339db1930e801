// The one statement behind every award-state lookup: an account, found by any of its addresses
// (any case, verified or not) or by id, with its addresses, pending address moves, the awards to
// all of them (and to their likely misspellings), revocation history and pathway invitations.
// One round trip, index lookups only (lower(email) on account_emails, awards and
// pathway_invitations; accounts_intended_address(recipient_email) on misspelt awards; award_id on
// revocations), so it costs the same with millions of rows. Plain text, so that the benchmark can
// hand the very same statement to pgbench.

/**
 * The statement body after the `target(account_id)` CTE. Columns: account_id, name, disabled_at,
 * emails, awards, invitations (the last three JSON arrays).
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
  -- per address into a partial index that holds only misspelt recipients (migration 0006).
  -- LATERAL keeps it a probe, and LIMIT caps the planner's guess should the expression's
  -- statistics be missing: a statement costed in the hundreds of thousands gets JIT-compiled,
  -- which takes seconds, for a query that runs in under a millisecond.
  select a.id, a.badge_class_id, a.recipient_email, a.issued_on, a.expires_at, a.removed_by_learner_at,
         case when h.id is null then 'no_account'
              when h.verified_at is not null then 'other_account_verified'
              else 'other_account_unverified' end,
         'typo'
  from live l
  cross join lateral (
    select * from awards m
    where accounts_intended_address(m.recipient_email) = l.address
      and accounts_intended_address(m.recipient_email) <> lower(m.recipient_email)
    limit 1000
  ) a
  left join account_emails h on lower(h.email) = lower(a.recipient_email)
  where not exists (select 1 from live o where o.address = lower(a.recipient_email))
)
select t.account_id, acc.name, acc.disabled_at,
  (select coalesce(json_agg(json_build_object(
            'id', ad.id, 'email', ad.email, 'verifiedAt', ad.verified_at, 'primary', ad.is_primary,
            'createdAt', ad.created_at, 'kind', ad.kind)
          order by ad.is_primary desc, ad.created_at, ad.id), '[]'::json)
   from addresses ad) as emails,
  (select coalesce(json_agg(json_build_object(
            'id', f.id, 'badgeName', bc.name, 'badgeDescription', bc.description, 'issuerName', i.name,
            'recipientEmail', f.recipient_email, 'issuedOn', f.issued_on, 'expiresAt', f.expires_at,
            'removedByLearnerAt', f.removed_by_learner_at, 'holder', f.holder, 'via', f.via,
            'revocations', (select coalesce(json_agg(json_build_object(
                                'id', r.id, 'reason', r.reason, 'revokedBy', r.revoked_by, 'revokedAt', r.revoked_at,
                                'reinstatedAt', r.reinstated_at, 'reinstatementAuthorisedBy', r.reinstatement_authorised_by,
                                'reinstatementReference', r.reinstatement_reference)
                              order by r.revoked_at, r.id), '[]'::json)
                            from revocations r where r.award_id = f.id))
          order by f.issued_on desc, f.id), '[]'::json)
   from found f join badge_classes bc on bc.id = f.badge_class_id join issuers i on i.id = bc.issuer_id) as awards,
  (select coalesce(json_agg(json_build_object(
            'id', pi.id, 'pathwayName', p.name, 'issuerName', i.name, 'email', pi.email,
            'status', pi.status, 'sentAt', pi.sent_at)
          order by pi.sent_at desc, pi.id), '[]'::json)
   from live l
   join pathway_invitations pi on lower(pi.email) = l.address
   join pathways p on p.id = pi.pathway_id
   join issuers i on i.id = p.issuer_id) as invitations
from target t join accounts acc on acc.id = t.account_id`;

/** $1 = any address of the account, in any case. */
export const LOOKUP_BY_EMAIL_SQL = `with target as (
  select account_id from account_emails where lower(email) = lower(btrim($1::text)) limit 1
)${LOOKUP_BODY}`;

/** $1 = the account id. */
export const LOOKUP_BY_ACCOUNT_SQL = `with target as (
  select id as account_id from accounts where id = $1::uuid
)${LOOKUP_BODY}`;
