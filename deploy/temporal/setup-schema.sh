#!/bin/sh
# One-shot job in the temporalio/admin-tools image: creates Temporal's two PostgreSQL databases and brings their
# schemas to the version this image's temporal-sql-tool embeds. Each step is a no-op when already done
# (create-database ignores an existing database, setup-schema keeps a schema past 0.0, update-schema stops at the
# newest version), so the job runs on every `docker compose up`, and raising the image tags upgrades the schema.
# temporal-sql-tool reads the connection from SQL_PLUGIN, SQL_HOST, SQL_PORT, SQL_USER and SQL_PASSWORD (set in
# docker-compose.yml); the database is the global --database option, which every subcommand uses.
set -eu

for database in temporal temporal_visibility; do
  case "$database" in
    temporal) schema=postgresql/v12/temporal ;;
    temporal_visibility) schema=postgresql/v12/visibility ;;
  esac
  temporal-sql-tool --database "$database" create-database
  temporal-sql-tool --database "$database" setup-schema -v 0.0
  # The schema embedded in the tool, so it always matches the tool's (and the server image's) release.
  temporal-sql-tool --database "$database" update-schema --schema-name "$schema"
  echo "setup-schema: '$database' is at the schema version of this image"
done
