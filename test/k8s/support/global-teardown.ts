import { Stack, loadStackConfig } from '@shop/devstack';
import { K8S_STACK_ENV } from './k8s-stack';

export default async function globalTeardown(): Promise<void> {
  await new Stack(loadStackConfig({ ...process.env, ...K8S_STACK_ENV })).down();
}
