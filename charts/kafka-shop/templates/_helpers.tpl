{{- define "kafka-shop.labels" -}}
app.kubernetes.io/part-of: kafka-shop
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/instance: {{ .Release.Name }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end }}

{{- define "kafka-shop.selector" -}}
app.kubernetes.io/part-of: kafka-shop
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/name: {{ .name }}
{{- end }}

{{- /* A pod's labels: its selector's, and who manages it; each key once (strict YAML readers,
such as skaffold's post-renderer, refuse a repeated key). */ -}}
{{- define "kafka-shop.podLabels" -}}
{{ include "kafka-shop.selector" . }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ .root.Chart.Name }}-{{ .root.Chart.Version }}
{{- end }}

{{- define "kafka-shop.databaseSecret" -}}
{{- default (printf "%s-database" .Release.Name) .Values.database.existingSecret -}}
{{- end }}

{{- /* The CloudNativePG Cluster of database.cloudnativepg; its primary is behind <cluster>-rw. */ -}}
{{- define "kafka-shop.postgresCluster" -}}
{{ .Release.Name }}-postgres
{{- end }}

{{- /* A service's PostgreSQL role and database: its name in PostgreSQL's words (order_service),
as the local stack names them; no quoting needed in SQL. */ -}}
{{- define "kafka-shop.databaseName" -}}
{{ replace "-" "_" . }}
{{- end }}

{{- /* The basic-auth Secret CloudNativePG sets a service's role password from. */ -}}
{{- define "kafka-shop.databaseRoleSecret" -}}
{{ include "kafka-shop.postgresCluster" .root }}-{{ .name }}
{{- end }}

{{- /* A service's database settings on the release's own PostgreSQL: its role's credentials,
composed into DATABASE_URL by the kubelet (a $(NAME) of an earlier variable); generated passwords
are letters and digits, nothing to escape. */ -}}
{{- define "kafka-shop.ownDatabaseEnv" -}}
{{- $roleSecret := include "kafka-shop.databaseRoleSecret" . -}}
- name: DATABASE_USER
  valueFrom:
    secretKeyRef:
      name: {{ $roleSecret }}
      key: username
- name: DATABASE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $roleSecret }}
      key: password
- name: DATABASE_URL
  value: "postgresql://$(DATABASE_USER):$(DATABASE_PASSWORD)@{{ include "kafka-shop.postgresCluster" .root }}-rw.{{ .root.Release.Namespace }}.svc:5432/{{ include "kafka-shop.databaseName" .name }}"
{{- end }}

{{- /* A generated secret value that stays what it was: the value under .key of the release
namespace's Secret .name when there is one (helm install/upgrade against a cluster), else 32
random letters and digits, safe inside a URL unescaped. helm template sees no cluster and
always generates. */ -}}
{{- define "kafka-shop.keptOrRandom" -}}
{{- $existing := lookup "v1" "Secret" .root.Release.Namespace .name -}}
{{- $kept := "" -}}
{{- if $existing -}}
{{- $kept = index ($existing.data | default dict) .key | default "" | b64dec -}}
{{- end -}}
{{- $kept | default (randAlphaNum 32) -}}
{{- end }}

{{- /* Who has a database of its own, and a NetworkPolicy: the services, and the operations
console when it is on. A JSON list, for fromJsonArray. */ -}}
{{- define "kafka-shop.deployables" -}}
{{- $names := keys .Values.services | sortAlpha -}}
{{- if .Values.opsConsole.enabled }}{{ $names = append $names "ops-console" }}{{ end -}}
{{- toJson $names -}}
{{- end }}

{{- /* How a pod reaches Kafka: the bootstrap Service, SCRAM as the KafkaUser .name (its password in
the Secret Strimzi's User Operator writes under the same name), and TLS trusting the cluster CA. */ -}}
{{- define "kafka-shop.kafkaEnv" -}}
- name: KAFKA_BROKERS
  value: "{{ .root.Values.kafka.cluster }}-kafka-bootstrap:{{ .root.Values.kafka.port }}"
- name: KAFKA_SASL_MECHANISM
  value: {{ .root.Values.kafka.saslMechanism | quote }}
- name: KAFKA_SASL_USERNAME
  value: {{ .name | quote }}
- name: KAFKA_SASL_PASSWORD
  valueFrom:
    secretKeyRef:
      # Written by Strimzi's User Operator for the KafkaUser of the same name.
      name: {{ .name }}
      key: password
{{- if .root.Values.kafka.tls }}
- name: KAFKA_SSL_CA_FILE
  value: /etc/kafka-ca/ca.crt
{{- end }}
{{- end }}

{{- /* The cluster CA that Strimzi publishes for clients, where kafka.tls is on. */ -}}
{{- define "kafka-shop.kafkaCaVolume" -}}
- name: kafka-ca
  secret:
    # The cluster CA that Strimzi publishes for clients.
    secretName: {{ .Values.kafka.cluster }}-cluster-ca-cert
    items:
      - key: ca.crt
        path: ca.crt
{{- end }}

{{- define "kafka-shop.kafkaCaMount" -}}
- name: kafka-ca
  mountPath: /etc/kafka-ca
  readOnly: true
{{- end }}

{{- define "kafka-shop.image" -}}
{{ .root.Values.image.repository }}-{{ .name }}:{{ default .root.Chart.AppVersion .root.Values.image.tag }}
{{- end }}

{{- /* Who calls whom over HTTP, the one place the NetworkPolicies read it from. order-service
prices an order from inventory-service's catalog (INVENTORY_URL); its API is the public one. The
other services' reads answer operators through port-forwards, which NetworkPolicies do not see. */ -}}
{{- define "kafka-shop.httpTraffic" -}}
public: [order-service]
calls:
  order-service: [inventory-service]
  # The console's <SERVICE>_URL: each order's state from order-service, the timeline's
  # notifications from notification-service, every service's outbox backlog from its /metrics.
  ops-console: [inventory-service, notification-service, order-service, payment-service]
{{- end }}

{{- /* The KafkaUser's SASL mechanism in the words of KEDA's Kafka scaler. */ -}}
{{- define "kafka-shop.kedaSasl" -}}
{{- get (dict "scram-sha-512" "scram_sha512" "scram-sha-256" "scram_sha256" "plain" "plaintext") . -}}
{{- end }}

{{- /* Refuses what the schema cannot see: two autoscalers for one Deployment, and a range that
does not fit in itself. */ -}}
{{- define "kafka-shop.checkAutoscaling" -}}
{{- range $name, $svc := .Values.services }}
{{- if and $svc.autoscaling.enabled $svc.lagAutoscaling.enabled }}
{{- fail (printf "services.%s: autoscaling.enabled (CPU) and lagAutoscaling.enabled (KEDA) both scale the same Deployment; turn one off" $name) }}
{{- end }}
{{- range $key, $scaling := dict "autoscaling" $svc.autoscaling "lagAutoscaling" $svc.lagAutoscaling }}
{{- if gt (int $scaling.minReplicas) (int $scaling.maxReplicas) }}
{{- fail (printf "services.%s.%s.minReplicas (%d) is greater than maxReplicas (%d)" $name $key (int $scaling.minReplicas) (int $scaling.maxReplicas)) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
