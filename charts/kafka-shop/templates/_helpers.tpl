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

{{- define "kafka-shop.image" -}}
{{ .root.Values.image.repository }}-{{ .name }}:{{ default .root.Chart.AppVersion .root.Values.image.tag }}
{{- end }}
