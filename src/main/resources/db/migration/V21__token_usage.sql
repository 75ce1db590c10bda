-- When each token was last used to authenticate, recorded by every replica from memory about once a minute
-- (never on the request path). Keyed by a managed token's id, or "configuration:<name>" for the tokens set in
-- configuration. Kept apart from api_tokens so that recording use is not a token change the fleet reloads.
CREATE TABLE token_usage (
    token_key    TEXT PRIMARY KEY,
    last_used_at TIMESTAMPTZ NOT NULL
);
