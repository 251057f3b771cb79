# Peregrine in a container: built with the official Swift image, run on slim Debian as a non-root
# user. The binary carries the Swift runtime and Foundation (--static-swift-stdlib), so the runtime
# image needs only SQLite, CA certificates, time zones and curl for the health check.
#
#   docker build -t peregrine .
#   docker run --rm peregrine backtest --data synthetic

FROM swift:6.1-bookworm AS build
# SQLite for GRDB; libcurl for FoundationNetworking, which a dependency links.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libsqlite3-dev libcurl4-openssl-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# The manifest first, so the dependencies stay cached while the sources change.
COPY Package.swift ./
RUN swift package resolve
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --static-swift-stdlib --product peregrine \
    && install -m 0755 "$(swift build -c release --static-swift-stdlib --show-bin-path)/peregrine" /usr/local/bin/peregrine

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends libsqlite3-0 ca-certificates tzdata curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --create-home --home-dir /var/lib/peregrine peregrine
COPY --from=build /usr/local/bin/peregrine /usr/local/bin/peregrine
USER 10001
WORKDIR /var/lib/peregrine
# The control API when a bot runs with --serve 0.0.0.0:8080 --serve-public; /api/v1/health needs no token.
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:8080/api/v1/health"]
ENTRYPOINT ["peregrine"]
CMD ["--help"]
