# Butler: one static binary (CGO_ENABLED=0) on a distroless base.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -o /out/butler ./cmd/butler

FROM gcr.io/distroless/static-debian12
COPY --from=build /out/butler /usr/local/bin/butler
VOLUME /data
EXPOSE 8080
ENV BUTLER_ADDR=0.0.0.0:8080 BUTLER_DATA=/data
ENTRYPOINT ["/usr/local/bin/butler"]
CMD ["serve"]
