# syntax=docker/dockerfile:1
# Build stage: install everything, compile TypeScript and bundle the CLI into one file (npm ci runs the
# `prepare` script, which is `npm run build`).
FROM node:22-alpine AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm ci --no-audit --no-fund

# Runtime stage: the bundle holds the emulator and every production dependency, so the image needs no
# node_modules; package.json is read for the version. Runs as a non-root user.
FROM node:22-alpine
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4010
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/dist/server.bundle.js ./dist/
COPY --chown=node:node fixtures ./fixtures
USER node
EXPOSE 4010
HEALTHCHECK --interval=5s --timeout=2s --start-period=5s --retries=3 \
  CMD wget -qO- "http://127.0.0.1:${PORT}/__emulator/health" >/dev/null || exit 1
# node as PID 1 receives SIGTERM directly; the server drains in-flight requests and exits 0.
CMD ["node", "dist/server.bundle.js"]
