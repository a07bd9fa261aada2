/**
 * The four commits of `sandbox-org/scheduler`, oldest first. Each lists only the files it changes;
 * the repository builds full trees from them. No file holds anything that looks like a credential, and
 * no migration drops anything (downgrades are forward-only), so the default branch passes every check.
 */
export interface SeedCommit {
  message: string;
  tag?: string;
  daysAgo: number;
  changes: Record<string, string>;
}

const README_V1 = `# scheduler

On-call shift scheduler: a FastAPI backend with PostgreSQL, Redis and Celery workers.

## Layout

- \`backend/app\`: the web service (\`uvicorn app.main:app\`)
- \`backend/alembic\`: database migrations (\`alembic upgrade head\`)
- \`.github/workflows/cd.yml\`: build, migrate and deploy to staging or production

## Health endpoints

| path | checks |
| --- | --- |
| \`/api/health\` | the web service itself |
| \`/api/health/db\` | PostgreSQL |
| \`/api/health/redis\` | Redis |
| \`/api/health/celery/worker\` | at least one Celery worker answers a ping |
| \`/api/health/celery/beat\` | the beat scheduler ran within the last two minutes |
`;

const README_V1_2 = README_V1.replace(
  '## Health endpoints',
  `## Configuration

Settings come from the environment: \`DATABASE_URL\`, \`REDIS_URL\`, \`SECRET_KEY\` and \`APP_ENV\`.
They are stored as GitHub environment secrets and variables, never in the repository.

## Health endpoints`,
);

const REQUIREMENTS = `fastapi==0.110.0
uvicorn[standard]==0.29.0
sqlalchemy==2.0.29
alembic==1.13.1
psycopg[binary]==3.1.18
redis==5.0.3
celery==5.3.6
jinja2==3.1.3
pydantic-settings==2.2.1
`;

const CD_WORKFLOW = `name: cd

on:
  workflow_dispatch:
    inputs:
      environment:
        description: Target environment
        required: true
        type: choice
        options:
          - staging
          - production
      skip_tests:
        description: Skip the test job (emergency fixes only)
        required: false
        type: boolean
        default: false

concurrency:
  group: deploy-\${{ inputs.environment }}
  cancel-in-progress: false

jobs:
  test:
    if: \${{ !inputs.skip_tests }}
    runs-on: ubuntu-latest
    defaults:
      run:
        working-directory: backend
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: '3.12'
      - run: pip install -r requirements.txt pytest
      - run: pytest -q

  build:
    needs: test
    if: \${{ always() && (needs.test.result == 'success' || needs.test.result == 'skipped') }}
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: docker build -t ghcr.io/sandbox-org/scheduler:\${{ github.sha }} backend

  migrate:
    needs: build
    runs-on: ubuntu-latest
    environment: \${{ inputs.environment }}
    steps:
      - uses: actions/checkout@v4
      - run: pip install -r backend/requirements.txt
      - run: alembic upgrade head
        working-directory: backend
        env:
          DATABASE_URL: \${{ secrets.DATABASE_URL }}

  deploy:
    needs: migrate
    runs-on: ubuntu-latest
    environment: \${{ inputs.environment }}
    steps:
      - uses: actions/checkout@v4
      - run: ./deploy.sh "\${{ inputs.environment }}" "\${{ github.sha }}"
        env:
          DATABASE_URL: \${{ secrets.DATABASE_URL }}
          REDIS_URL: \${{ secrets.REDIS_URL }}
          SECRET_KEY: \${{ secrets.SECRET_KEY }}
          APP_ENV: \${{ vars.APP_ENV }}
`;

const MAIN_V1 = `from fastapi import FastAPI

from app.config import settings
from app.health import router as health_router
from app.shifts import router as shifts_router

app = FastAPI(title="scheduler", version="1.0.0")
app.include_router(health_router, prefix="/api")
app.include_router(shifts_router, prefix="/api")


@app.get("/api/version")
def version() -> dict[str, str]:
    return {"version": app.version, "sha": settings.git_sha, "environment": settings.app_env}
`;

const MAIN_V1_1 = `from fastapi import FastAPI

from app.config import settings
from app.health import router as health_router
from app.rotations import router as rotations_router
from app.shifts import router as shifts_router

app = FastAPI(title="scheduler", version="1.1.0")
app.include_router(health_router, prefix="/api")
app.include_router(shifts_router, prefix="/api")
app.include_router(rotations_router, prefix="/api")


@app.get("/api/version")
def version() -> dict[str, str]:
    return {"version": app.version, "sha": settings.git_sha, "environment": settings.app_env}
`;

const MAIN_V1_2 = `from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware

from app.config import settings
from app.health import router as health_router
from app.rotations import router as rotations_router
from app.shifts import router as shifts_router

app = FastAPI(title="scheduler", version="1.2.0")
app.add_middleware(GZipMiddleware, minimum_size=1024)
app.include_router(health_router, prefix="/api")
app.include_router(shifts_router, prefix="/api")
app.include_router(rotations_router, prefix="/api")


@app.get("/api/version")
def version() -> dict[str, str]:
    return {"version": app.version, "sha": settings.git_sha, "environment": settings.app_env}
`;

// Line 1 is the unused import the seeded code-scanning alert (py/unused-import) points at.
const MAIN_HEAD = `import os

from fastapi import FastAPI, Request
from fastapi.middleware.gzip import GZipMiddleware

from app.audit import record_actor
from app.config import settings
from app.health import router as health_router
from app.rotations import router as rotations_router
from app.shifts import router as shifts_router

app = FastAPI(title="scheduler", version="1.3.0-dev")
app.add_middleware(GZipMiddleware, minimum_size=1024)
app.include_router(health_router, prefix="/api")
app.include_router(shifts_router, prefix="/api")
app.include_router(rotations_router, prefix="/api")


@app.middleware("http")
async def audit_actor(request: Request, call_next):
    with record_actor(request.headers.get("x-user")):
        return await call_next(request)


@app.get("/api/version")
def version() -> dict[str, str]:
    return {"version": app.version, "sha": settings.git_sha, "environment": settings.app_env}
`;

const MIGRATION_001 = `"""initial schema

Revision ID: 001
Revises:
Create Date: 2024-03-04 09:12:44.118230
"""
import sqlalchemy as sa
from alembic import op

revision = "001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "teams",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(length=120), nullable=False, unique=True),
        sa.Column("timezone", sa.String(length=64), nullable=False, server_default="UTC"),
    )
    op.create_table(
        "members",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("team_id", sa.Integer(), sa.ForeignKey("teams.id"), nullable=False),
        sa.Column("email", sa.String(length=255), nullable=False, unique=True),
        sa.Column("display_name", sa.String(length=120), nullable=False),
    )
    op.create_table(
        "shifts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("member_id", sa.Integer(), sa.ForeignKey("members.id"), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    # Forward-only: a bad release is fixed by a new migration or a restore, never by dropping data.
    raise NotImplementedError("scheduler migrations are forward-only")
`;

const MIGRATION_002 = `"""add rotations

Revision ID: 002
Revises: 001
Create Date: 2024-03-18 14:03:10.552871
"""
import sqlalchemy as sa
from alembic import op

revision = "002"
down_revision = "001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rotations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("team_id", sa.Integer(), sa.ForeignKey("teams.id"), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("length_days", sa.Integer(), nullable=False, server_default="7"),
    )
    op.add_column("shifts", sa.Column("rotation_id", sa.Integer(), sa.ForeignKey("rotations.id"), nullable=True))


def downgrade() -> None:
    # Forward-only: a bad release is fixed by a new migration or a restore, never by dropping data.
    raise NotImplementedError("scheduler migrations are forward-only")
`;

const MIGRATION_003 = `"""add assignment index

Revision ID: 003
Revises: 002
Create Date: 2024-04-02 10:47:29.301554
"""
from alembic import op

revision = "003"
down_revision = "002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_shifts_member_id_starts_at", "shifts", ["member_id", "starts_at"])


def downgrade() -> None:
    # Forward-only: a bad release is fixed by a new migration or a restore, never by dropping data.
    raise NotImplementedError("scheduler migrations are forward-only")
`;

const MIGRATION_004 = `"""add audit columns

Revision ID: 004
Revises: 003
Create Date: 2024-04-22 16:21:05.874412
"""
import sqlalchemy as sa
from alembic import op

revision = "004"
down_revision = "003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("shifts", "rotations"):
        op.add_column(table, sa.Column("created_by", sa.String(length=255), nullable=True))
        op.add_column(
            table,
            sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        )


def downgrade() -> None:
    # Forward-only: a bad release is fixed by a new migration or a restore, never by dropping data.
    raise NotImplementedError("scheduler migrations are forward-only")
`;

export const SCHEDULER_HISTORY: readonly SeedCommit[] = [
  {
    message: 'Initial scheduler service\n\nFastAPI backend, initial schema and the CD workflow.',
    tag: 'v1.0.0',
    daysAgo: 28,
    changes: {
      'README.md': README_V1,
      '.github/workflows/cd.yml': CD_WORKFLOW,
      'backend/requirements.txt': REQUIREMENTS,
      'backend/app/main.py': MAIN_V1,
      'backend/alembic/versions/001_initial_schema.py': MIGRATION_001,
    },
  },
  {
    message: 'Add rotations',
    tag: 'v1.1.0',
    daysAgo: 21,
    changes: {
      'backend/app/main.py': MAIN_V1_1,
      'backend/alembic/versions/002_add_rotations.py': MIGRATION_002,
    },
  },
  {
    message: 'Index shift assignments and compress large responses',
    tag: 'v1.2.0',
    daysAgo: 12,
    changes: {
      'README.md': README_V1_2,
      'backend/app/main.py': MAIN_V1_2,
      'backend/alembic/versions/003_add_assignment_index.py': MIGRATION_003,
    },
  },
  {
    message: 'Record who changed shifts and rotations',
    daysAgo: 3,
    changes: {
      'backend/app/main.py': MAIN_HEAD,
      'backend/alembic/versions/004_add_audit_columns.py': MIGRATION_004,
    },
  },
];
