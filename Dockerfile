# vigil container image. Build from the repository root:
#   docker build -t vigil .
#   docker run -p 8080:8080 -v $PWD/config.yaml:/etc/vigil/config.yaml:ro vigil
#
# No container engine runs in this repository's CI: test/integration/dockerfile.test.ts performs
# these steps in temporary directories (npm ci, build, prune, the copies) and starts vigil with
# the ENTRYPOINT and CMD below, then runs the HEALTHCHECK command against it.

# --- build: compile TypeScript, then drop the dev dependencies ---------------------------------
FROM node:20-bookworm-slim AS build
# better-sqlite3 (storage.type sqlite) is compiled from source: no prebuilt binary is downloaded
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json ./
# --ignore-scripts: no `prepare` build before the sources are copied; the one native
# dependency is built explicitly
RUN npm ci --ignore-scripts --no-audit --no-fund
RUN npm rebuild better-sqlite3 --build-from-source --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build
RUN npm prune --omit=dev --ignore-scripts --no-audit --no-fund

# --- runtime: Node, ping for ICMP probes, production dependencies, dist/ ---------------------------
FROM node:20-bookworm-slim
# ICMP endpoints run the system ping. As a non-root user it needs unprivileged ICMP sockets
# (sysctl net.ipv4.ping_group_range covering GID 10001; Docker sets "0 2147483647" by default,
# on Kubernetes set it in the pod's securityContext.sysctls) or the NET_RAW capability.
RUN apt-get update \
 && apt-get install -y --no-install-recommends iputils-ping ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /src/package.json ./package.json
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY examples/config.yaml /etc/vigil/config.yaml
# numeric, so Kubernetes' runAsNonRoot can verify it is not root (a name like `node` cannot be)
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8080/-/healthy').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "/app/dist/cli.js"]
CMD ["--config.file=/etc/vigil/config.yaml", "--web.listen-address=:8080"]
