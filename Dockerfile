# syntax=docker/dockerfile:1
# One image per service:  docker build --build-arg SERVICE=order-service -t kafka-shop-order-service .
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS deps
ARG SERVICE
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages packages
COPY services services
COPY cdk8s/package.json cdk8s/package.json
# Only this service's production dependencies (and the root's: tsx runs the TypeScript).
RUN test -n "${SERVICE}" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
      --workspace "@shop/${SERVICE}" --include-workspace-root

FROM ${NODE_IMAGE}
ARG SERVICE
ENV NODE_ENV=production SERVICE=${SERVICE}
WORKDIR /app
RUN groupadd --system --gid 10001 shop && useradd --system --uid 10001 --gid shop --no-create-home shop
COPY --from=deps /app/node_modules node_modules
COPY package.json ./
COPY packages packages
COPY services/${SERVICE} services/${SERVICE}
USER 10001:10001
EXPOSE 8080
# tsx keeps its compile cache in /tmp, the only writable path (an emptyDir in the chart).
CMD ["sh", "-c", "exec node --import tsx services/${SERVICE}/src/main.ts"]
