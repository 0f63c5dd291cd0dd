# ura's container image: build with the official Swift image, run on slim Debian.
# Both stages are Debian 12 (bookworm), so the libraries linked at build time are the ones
# installed at run time.

FROM swift:6.3-bookworm AS build
# Headers and pkg-config files for ura's C library targets (the -dev packages of scripts/setup).
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libcurl4-openssl-dev libwebsockets-dev libspeexdsp-dev libspandsp-dev \
        libwebrtc-audio-processing-dev libsqlite3-dev pkg-config \
        libpocketsphinx-dev flite1-dev libespeak-ng-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /build
# Dependencies first, so source edits do not refetch them.
COPY Package.swift ./
RUN swift package resolve
COPY Sources ./Sources
COPY Tests ./Tests
# A static Swift runtime: the runtime image then needs only the C libraries below.
RUN swift build -c release --product ura --static-swift-stdlib \
    && mkdir -p /staging \
    && cp "$(swift build -c release --show-bin-path)/ura" /staging/

FROM debian:bookworm-slim AS runtime
# Runtime halves of the -dev packages above (pocketsphinx-en-us: the offline recogniser's
# acoustic model and dictionary); libstdc++6 for the static Swift runtime (it links
# the C++ library dynamically); CA certificates for https ARI URLs.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libcurl4 libwebsockets17 libspeexdsp1 libspandsp2 libwebrtc-audio-processing1 libsqlite3-0 \
        libpocketsphinx3 pocketsphinx-en-us libflite1 libespeak-ng1 \
        libstdc++6 ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home-dir /app --create-home ura \
    && install -d -o ura -g ura /app/data
COPY --from=build /staging/ura /usr/local/bin/ura
# The example flows: the default bot answers with flows/clinic-en.yaml out of the box.
COPY flows /app/flows
USER ura
WORKDIR /app
ENTRYPOINT ["/usr/local/bin/ura"]
CMD ["serve"]
