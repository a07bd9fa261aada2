#!/bin/sh
# One-shot job in the temporalio/admin-tools image: creates Temporal's two PostgreSQL databases and brings their
# schemas to the version this image ships. Each step is a no-op when already done (create-database and
# setup-schema leave existing ones alone), so the job runs on every `docker compose up`, and raising the image tags
# upgrades the schema. temporal-sql-tool reads the connection from SQL_PLUGIN, SQL_HOST, SQL_PORT, SQL_USER and
# SQL_PASSWORD (set in docker-compose.yml).
set -eu

schema_dir=/etc/temporal/schema/postgresql/v12
for database in temporal temporal_visibility; do
  case "$database" in
    temporal) versioned="$schema_dir/temporal/versioned" ;;
    temporal_visibility) versioned="$schema_dir/visibility/versioned" ;;
  esac
  temporal-sql-tool --database "$database" create-database --database "$database"
  temporal-sql-tool --database "$database" setup-schema -v 0.0
  temporal-sql-tool --database "$database" update-schema -d "$versioned"
  echo "setup-schema: '$database' is at the schema version of this image"
done
