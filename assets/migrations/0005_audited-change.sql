-- An audited change in one statement: the account's new version (or a check that the version it
-- was decided on is still the current one) and the audit entries that record it, sealed by the
-- terminal onto the head it last knew. The entries are sealed with the branch key, which never
-- reaches the database, so the terminal seals and the function only checks that the head is still
-- the one they were sealed onto. It answers:
--   HEAD_MOVED  another terminal appended first: nothing was changed; the current head comes back
--               so that the terminal can seal again onto it;
--   STALE       the account is no longer the version the decision was made on: nothing was changed;
--   OK          the change, the entries and the new head, in the statement's own transaction.
-- Locks are taken in the order every transaction of the branch takes them, the account's row
-- before the head row, so none waits for another in a circle. The head is held from its check to
-- the commit, so entries stay one chain. A check that writes nothing locks no account row (its page
-- is neither dirtied nor logged): it is made after the head is held, and each statement here sees
-- what was committed before it, so every audited change of the account by another terminal is
-- either seen (STALE) or recorded after this one. One round trip instead of a transaction of four.

-- Up Migration
CREATE FUNCTION audited_change(
  p_head_seq bigint,
  p_head_hash text,
  p_account text,
  p_version xid,
  p_doc jsonb,
  p_seqs bigint[],
  p_ats timestamptz[],
  p_types text[],
  p_subjects text[],
  p_lines text[],
  p_hash text,
  p_seal text
) RETURNS TABLE (outcome text, head_seq bigint, head_hash text)
LANGUAGE plpgsql AS $$
DECLARE
  current_seq bigint;
  current_hash text;
  last_seq bigint := p_seqs[cardinality(p_seqs)];
BEGIN
  IF p_account IS NOT NULL AND p_doc IS NOT NULL THEN
    PERFORM 1 FROM accounts a WHERE a.id = p_account AND a.xmin = p_version FOR NO KEY UPDATE;
    IF NOT FOUND THEN
      RETURN QUERY SELECT 'STALE'::text, NULL::bigint, NULL::text;
      RETURN;
    END IF;
  END IF;
  SELECT h.seq, h.hash INTO current_seq, current_hash FROM audit_head h FOR UPDATE;
  IF current_seq IS DISTINCT FROM p_head_seq OR current_hash IS DISTINCT FROM p_head_hash THEN
    RETURN QUERY SELECT 'HEAD_MOVED'::text, current_seq, current_hash;
    RETURN;
  END IF;
  IF p_account IS NOT NULL THEN
    IF p_doc IS NULL THEN
      PERFORM 1 FROM accounts a WHERE a.id = p_account AND a.xmin = p_version;
      IF NOT FOUND THEN
        RETURN QUERY SELECT 'STALE'::text, current_seq, current_hash;
        RETURN;
      END IF;
    ELSE
      UPDATE accounts a SET doc = p_doc WHERE a.id = p_account;
    END IF;
  END IF;
  INSERT INTO audit_events (seq, at, type, subject, line)
    SELECT * FROM unnest(p_seqs, p_ats, p_types, p_subjects, p_lines);
  UPDATE audit_head SET seq = last_seq, hash = p_hash, seal = p_seal;
  RETURN QUERY SELECT 'OK'::text, last_seq, p_hash;
END
$$;

-- Down Migration
DROP FUNCTION audited_change(bigint, text, text, xid, jsonb, bigint[], timestamptz[], text[], text[], text[], text, text);
