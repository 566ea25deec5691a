"""The relational schema and its migrations.

`MIGRATIONS[n]` brings a database from schema version n to n + 1 (statements are split on
";", so none may appear inside a statement or comment); a store applies every missing
step in one transaction when it opens, and refuses a database written by a newer flowwire. The
SQL sticks to what SQLite and PostgreSQL both accept (partial indexes, `ON CONFLICT`), so a
PostgreSQL backend can reuse it with only the type names changed.
"""

from __future__ import annotations

#: The first key handed out: Zeebe's keys for partition 1 start here, so keys look familiar to
#: Camunda clients and tools.
FIRST_KEY = 2251799813685249

_V1 = f"""
CREATE TABLE key_sequence (
    name TEXT PRIMARY KEY,
    next_value INTEGER NOT NULL
);
INSERT INTO key_sequence (name, next_value) VALUES ('key', {FIRST_KEY});

CREATE TABLE deployment (
    key INTEGER PRIMARY KEY,
    created_at INTEGER NOT NULL
);

CREATE TABLE process_definition (
    key INTEGER PRIMARY KEY,
    process_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    name TEXT NOT NULL,
    resource_name TEXT NOT NULL,
    checksum TEXT NOT NULL,
    xml BLOB NOT NULL,
    deployment_key INTEGER NOT NULL REFERENCES deployment (key),
    deployed_at INTEGER NOT NULL,
    UNIQUE (process_id, version)
);

CREATE TABLE process_instance (
    key INTEGER PRIMARY KEY,
    definition_key INTEGER NOT NULL REFERENCES process_definition (key),
    process_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    state TEXT NOT NULL,
    parent_instance_key INTEGER,
    parent_element_instance_key INTEGER,
    root_instance_key INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    ended_at INTEGER
);
CREATE INDEX process_instance_state ON process_instance (state, process_id);

CREATE TABLE element_instance (
    key INTEGER PRIMARY KEY,
    instance_key INTEGER NOT NULL REFERENCES process_instance (key),
    element_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    scope_key INTEGER,
    path TEXT NOT NULL,
    state TEXT NOT NULL,
    tokens INTEGER NOT NULL,
    data TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX element_instance_scope ON element_instance (scope_key);

CREATE TABLE variable (
    scope_key INTEGER NOT NULL,
    name TEXT NOT NULL,
    instance_key INTEGER NOT NULL,
    value TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (scope_key, name)
) WITHOUT ROWID;

CREATE TABLE job (
    key INTEGER PRIMARY KEY,
    type TEXT NOT NULL,
    state TEXT NOT NULL,
    retries INTEGER NOT NULL,
    due INTEGER,
    worker TEXT,
    deadline INTEGER,
    instance_key INTEGER NOT NULL REFERENCES process_instance (key),
    element_instance_key INTEGER NOT NULL,
    element_id TEXT NOT NULL,
    definition_key INTEGER NOT NULL,
    process_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    custom_headers TEXT NOT NULL,
    scopes TEXT NOT NULL,
    error_message TEXT,
    created_at INTEGER NOT NULL,
    ended_at INTEGER
);
CREATE INDEX job_activatable ON job (type, due) WHERE state IN ('ACTIVATABLE', 'ACTIVATED');

CREATE TABLE incident (
    key INTEGER PRIMARY KEY,
    instance_key INTEGER NOT NULL REFERENCES process_instance (key),
    element_instance_key INTEGER NOT NULL,
    element_id TEXT NOT NULL,
    error_type TEXT NOT NULL,
    message TEXT NOT NULL,
    state TEXT NOT NULL,
    job_key INTEGER,
    created_at INTEGER NOT NULL,
    resolved_at INTEGER
);
CREATE INDEX incident_state ON incident (state, instance_key);
CREATE INDEX incident_element ON incident (element_instance_key);

-- one row per command and instance (seq: a key from the sequence), entries: a JSON list of
-- [element_instance_key, scope_key, element_id, element_kind, transition(, details)]
CREATE TABLE history (
    instance_key INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    timestamp INTEGER NOT NULL,
    entries TEXT NOT NULL,
    PRIMARY KEY (instance_key, seq)
) WITHOUT ROWID;
"""

#: Events: message and signal subscriptions (instance_key NULL: a start event of a deployed
#: process), buffered messages, timers (instance_key NULL: a timer start event) and the
#: correlation keys of instances started by a message.
_V2 = """
CREATE TABLE event_subscription (
    key INTEGER PRIMARY KEY,
    event_type TEXT NOT NULL,
    name TEXT NOT NULL,
    correlation_key TEXT,
    definition_key INTEGER NOT NULL,
    process_id TEXT NOT NULL,
    element_id TEXT NOT NULL,
    instance_key INTEGER,
    element_instance_key INTEGER,
    interrupting INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX event_subscription_name ON event_subscription (event_type, name, correlation_key);
CREATE INDEX event_subscription_element ON event_subscription (element_instance_key);
CREATE INDEX event_subscription_process ON event_subscription (process_id) WHERE instance_key IS NULL;

CREATE TABLE message (
    key INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    correlation_key TEXT NOT NULL,
    variables TEXT NOT NULL,
    message_id TEXT,
    expires_at INTEGER NOT NULL,
    correlated TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX message_name ON message (name, correlation_key);
CREATE INDEX message_expiry ON message (expires_at);

CREATE TABLE timer (
    key INTEGER PRIMARY KEY,
    due INTEGER NOT NULL,
    definition_key INTEGER NOT NULL,
    process_id TEXT NOT NULL,
    element_id TEXT NOT NULL,
    instance_key INTEGER,
    element_instance_key INTEGER,
    repetitions INTEGER NOT NULL,
    cycle_interval TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX timer_due ON timer (due);
CREATE INDEX timer_element ON timer (element_instance_key);
CREATE INDEX timer_process ON timer (process_id) WHERE instance_key IS NULL;

CREATE TABLE message_start (
    process_id TEXT NOT NULL,
    correlation_key TEXT NOT NULL,
    instance_key INTEGER NOT NULL,
    PRIMARY KEY (process_id, correlation_key)
) WITHOUT ROWID
"""

#: Resource deletion: a deleted process version keeps its row (its running instances still need
#: the model, and version numbers are never reused) with the time it was deleted.
_V3 = """
ALTER TABLE process_definition ADD COLUMN deleted_at INTEGER
"""

#: Migration scripts; the database's schema version is the number of scripts applied.
MIGRATIONS: tuple[str, ...] = (_V1, _V2, _V3)

SCHEMA_VERSION = len(MIGRATIONS)
