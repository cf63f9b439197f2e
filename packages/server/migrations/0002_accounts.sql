-- PyFlare schema, version 2: accounts for the web UI. Users, their role in each project,
-- browser sessions, personal preferences and saved queries. Small mutable state, as in
-- 0001: ReplacingMergeTree with a version column, read with FINAL; a deletion is a row
-- with deleted = 1. The same statements run on chDB and on a ClickHouse server.

-- password_hash is 'scrypt$<log2 N>$<r>$<p>$<salt base64url>$<hash base64url>'.
CREATE TABLE IF NOT EXISTS users
(
    id            String,
    email         String,
    name          String,
    password_hash String,
    created_at    DateTime64(3, 'UTC'),
    last_login_at Nullable(DateTime64(3, 'UTC')),
    deleted       UInt8,
    version       UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY id;

-- role: 'admin', 'member' or 'viewer'.
CREATE TABLE IF NOT EXISTS project_members
(
    project_id  String,
    user_id     String,
    role        LowCardinality(String),
    created_at  DateTime64(3, 'UTC'),
    deleted     UInt8,
    version     UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (project_id, user_id);

-- id is the SHA-256 (hex) of the cookie's token; the token itself is never stored.
CREATE TABLE IF NOT EXISTS sessions
(
    id          String,
    user_id     String,
    csrf_token  String,
    created_at  DateTime64(3, 'UTC'),
    expires_at  DateTime64(3, 'UTC'),
    deleted     UInt8,
    version     UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY id
TTL toDateTime(expires_at) + toIntervalDay(1);

-- preferences: a JSON object ({ theme, timeZone, density }).
CREATE TABLE IF NOT EXISTS user_preferences
(
    user_id     String,
    preferences String,
    version     UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY user_id;

-- time_range: as given by the client ('' when none).
CREATE TABLE IF NOT EXISTS saved_queries
(
    project_id  String,
    user_id     String,
    id          String,
    name        String,
    query       String,
    time_range  String,
    created_at  DateTime64(3, 'UTC'),
    deleted     UInt8,
    version     UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (project_id, user_id, id);
