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

{{- define "kafka-shop.databaseSecret" -}}
{{- default (printf "%s-database" .Release.Name) .Values.database.existingSecret -}}
{{- end }}

{{- define "kafka-shop.image" -}}
{{ .root.Values.image.repository }}-{{ .name }}:{{ default .root.Chart.AppVersion .root.Values.image.tag }}
{{- end }}
