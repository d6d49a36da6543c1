import { CONSOLE_USER, TOOL_READER_GROUP_PREFIX, allows, consoleAcls, type Acl } from './acls';
import { SERVICE_NAMES, consumerGroupOf } from './services';
import { PRIMARY_TOPICS, allTopics, dlqTopicOf, retryTopicOf } from './topics';

// Worked out from the topic specs alone rather than from consoleAcls.
const consumers = SERVICE_NAMES.filter((s) => PRIMARY_TOPICS.some((t) => t.consumers.includes(s)));
const redriveTargets = consumers.map((s) => retryTopicOf(s, 1));

describe('consoleAcls: what the operations console needs', () => {
  let acls: Acl[];
  beforeAll(() => {
    acls = consoleAcls();
  });

  it('reads and describes every topic an order timeline follows', () => {
    for (const { name } of allTopics()) {
      expect(allows(acls, 'topic', name, 'Read')).toBe(true);
      expect(allows(acls, 'topic', name, 'Describe')).toBe(true);
    }
  });

  it('writes exactly the retry-1 topics a redrive sends to, and nothing else', () => {
    const writable = allTopics()
      .map((t) => t.name)
      .filter((name) => allows(acls, 'topic', name, 'Write'));
    expect(writable.sort()).toEqual([...redriveTargets].sort());
  });

  it.each(PRIMARY_TOPICS.map((t) => t.name))(
    'cannot write %s or its DLQ, so a console never forges a saga event',
    (name) => {
      expect(allows(acls, 'topic', name, 'Write')).toBe(false);
      expect(allows(acls, 'topic', dlqTopicOf(name), 'Write')).toBe(false);
    },
  );

  it('deletes no topic, and only describes the services’ groups (lag), never joins them', () => {
    for (const { name } of allTopics()) expect(allows(acls, 'topic', name, 'Delete')).toBe(false);
    for (const service of SERVICE_NAMES) {
      const group = consumerGroupOf(service);
      expect(allows(acls, 'group', group, 'Describe')).toBe(consumers.includes(service));
      expect(allows(acls, 'group', group, 'Read')).toBe(false);
      expect(allows(acls, 'group', group, 'Delete')).toBe(false);
    }
  });

  it('reads in and deletes only throwaway reader groups', () => {
    expect(allows(acls, 'group', `${TOOL_READER_GROUP_PREFIX}ops-console-0a1b`, 'Read')).toBe(true);
    expect(allows(acls, 'group', `${TOOL_READER_GROUP_PREFIX}ops-console-0a1b`, 'Delete')).toBe(
      true,
    );
    expect(allows(acls, 'group', 'another-group', 'Read')).toBe(false);
  });

  it('names each resource once, under the name Strimzi gives its Secret', () => {
    const resources = acls.map((a) => `${a.resource.type} ${a.resource.name}`);
    expect(new Set(resources).size).toBe(resources.length);
    expect(CONSOLE_USER).toBe('ops-console');
  });
});
