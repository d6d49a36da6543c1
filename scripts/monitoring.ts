/** `npm run monitoring`: Prometheus with the generated alert rules, scraping the system `npm start` runs. */
import { loadStackConfig } from '@shop/devstack';
import { localMonitoring, localTargets, printMonitoringUrls } from './local-monitoring';
import { runTool, toolBrokers } from './kafka-tool';

runTool('monitoring', toolBrokers(), async () => {
  const monitoring = localMonitoring(loadStackConfig());
  await monitoring.start(localTargets());
  printMonitoringUrls(console.log);
  console.log('monitoring running; press Ctrl-C to stop');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await monitoring.stop();
  return 0;
});
