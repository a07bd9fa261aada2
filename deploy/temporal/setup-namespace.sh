#!/bin/sh
# One-shot job in the temporalio/admin-tools image, after the server is up: registers the namespace the product
# uses and the product's custom search attributes (domain/search-attributes.ts). Safe to rerun: an existing
# namespace is kept, and creating a search attribute that exists with the same type succeeds (one that exists with
# another type fails loudly). The temporal CLI reads TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE.
set -eu

namespace="${TEMPORAL_NAMESPACE:-default}"
retention="${TEMPORAL_NAMESPACE_RETENTION:-30d}"

attempt=0
until temporal operator cluster health >/dev/null 2>&1; do
  attempt=$((attempt + 1))
  [ "$attempt" -lt 30 ] || { echo "setup-namespace: Temporal at $TEMPORAL_ADDRESS is not serving" >&2; exit 1; }
  sleep 2
done

if ! temporal operator namespace describe --namespace "$namespace" >/dev/null 2>&1; then
  temporal operator namespace create --namespace "$namespace" --retention "$retention"
fi

# A new namespace takes a few seconds to reach every frontend's cache: retry until the attributes are in.
# Each --name needs its own --type (one --type for several names registers only the first).
attempt=0
until temporal operator search-attribute create --namespace "$namespace" \
  --name DeploymentEnvironment --type Keyword \
  --name DeploymentVersion --type Keyword \
  --name DeploymentKind --type Keyword \
  --name DeploymentStatus --type Keyword \
  --name DeploymentInitiator --type Keyword; do
  attempt=$((attempt + 1))
  [ "$attempt" -lt 30 ] || { echo "setup-namespace: could not register the search attributes" >&2; exit 1; }
  sleep 2
done
echo "setup-namespace: namespace '$namespace' with the Deployment* search attributes is ready"
