# syntax=docker/dockerfile:1
# One image per service:  docker build --build-arg SERVICE=order-service -t kafka-shop-order-service .
# `npm run images` builds all four with podman (tools/images/build.sh).
ARG NODE_IMAGE=node:24-bookworm-slim

# Compiles every service and the workspace packages they run with (tools/build/compile.mjs): one
# stage shared by the four images, so a build of all of them installs and compiles once.
FROM ${NODE_IMAGE} AS compile
ENV NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages packages
COPY services services
COPY cdk8s/package.json cdk8s/package.json
COPY tools/build tools/build
# A registry behind a TLS-inspecting proxy needs its CA: `--secret id=npm-ca,src=FILE` (optional).
RUN --mount=type=secret,id=npm-ca \
    if [ -f /run/secrets/npm-ca ]; then export NPM_CONFIG_CAFILE=/run/secrets/npm-ca; fi && \
    npm ci --ignore-scripts && node tools/build/compile.mjs

# Keeps only this service's production dependencies and lays out the image's /app.
FROM compile AS build
ARG SERVICE
RUN --mount=type=secret,id=npm-ca \
    test -n "${SERVICE}" && \
    if [ -f /run/secrets/npm-ca ]; then export NPM_CONFIG_CAFILE=/run/secrets/npm-ca; fi && \
    npm ci --omit=dev --ignore-scripts --workspace "@shop/${SERVICE}" && \
    node tools/build/assemble-image.mjs "${SERVICE}" /image/app
# The runtime is distroless: node, the C libraries it links and the app; no shell, no package
# manager, nothing to write but /tmp. The libraries are found with ldd, so this holds on any arch.
RUN mkdir -p /image/usr/local/bin /image/tmp /image/etc && chmod 1777 /image/tmp && \
    cp /usr/local/bin/node /image/usr/local/bin/node && \
    ldd /usr/local/bin/node | grep -o '/[^ ]*' | xargs -I{} cp --parents -L {} /image && \
    echo 'shop:x:10001:10001::/app:/sbin/nologin' >/image/etc/passwd && \
    echo 'shop:x:10001:' >/image/etc/group

FROM scratch
ARG SERVICE
COPY --from=build /image /
WORKDIR /app
# shop-compiled: the @shop packages resolve to their compiled dist/ (see their package.json exports).
ENV NODE_ENV=production \
    NODE_OPTIONS="--conditions=shop-compiled --enable-source-maps"
USER 10001:10001
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/node"]
CMD ["/app/main.js"]
