export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}

export interface RenderedSecret {
  metadata: { name: string };
  stringData?: Record<string, string>;
}

/**
 * What the kubelet makes of a container's environment: a value's $(NAME) of an earlier variable
 * replaced, $$ left as one $, an unknown $(NAME) kept as written; secretKeyRefs read from
 * `secrets` (a Secret the chart does not render reads as '').
 */
export function kubeletEnv(env: EnvVar[], secrets: RenderedSecret[]): Record<string, string> {
  const resolved: Record<string, string> = {};
  for (const e of env) {
    const ref = e.valueFrom?.secretKeyRef;
    resolved[e.name] = ref
      ? (secrets.find((s) => s.metadata.name === ref.name)?.stringData?.[ref.key] ?? '')
      : (e.value ?? '').replace(/\$\$|\$\(([A-Za-z_]\w*)\)/g, (whole, name?: string) =>
          whole === '$$' ? '$' : name !== undefined && name in resolved ? resolved[name]! : whole,
        );
  }
  return resolved;
}
