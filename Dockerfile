# syntax=docker/dockerfile:1
# One image for the worker, the MCP gateway and the codec server (docker-compose.yml picks the command).
# Debian (glibc), not Alpine: @temporalio/core-bridge ships its native library for linux-x64/arm64 glibc only.
# The same Node release the test suite runs on.
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

# Production dependencies only. `npm install`, not `npm ci`: the lock file lists only the platform binaries the
# registry served when it was written, and `npm ci` refuses it (see README "Set up and run").
FROM ${NODE_IMAGE} AS production-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --omit=dev --no-audit --no-fund

# The build needs the dev dependencies (TypeScript); it writes dist/ and dist/workflow-bundle.js.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY . .
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
# The audit log's folder belongs to the unprivileged user, so a fresh named volume mounted there inherits it.
RUN mkdir -p /var/log/scheduler /app/.data && chown node:node /var/log/scheduler /app/.data
COPY --from=production-deps /app/node_modules ./node_modules
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/dist ./dist
# `node` (uid 1000) comes with the official Node images.
USER node
CMD ["node", "dist/worker/main.js"]
