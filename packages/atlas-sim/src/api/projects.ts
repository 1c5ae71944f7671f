import { list, object, type Operation } from '../http/operation.js';
import { clusterView, flexClusterView, projectView, serverlessInstanceView } from '../views/deployments.js';
import {
  requireCluster,
  requireFlexCluster,
  requireProject,
  requireServerless,
  V20230101,
  V20230101_UNTIL_2027_07,
  V20241113,
} from './common.js';

const G = '/api/atlas/v2/groups';
const CLUSTER_VERSIONS = [
  V20230101_UNTIL_2027_07,
  { date: '2023-02-01', sunset: '2027-07-01' },
  { date: '2024-08-05' },
];
const SERVERLESS_INSTANCE_VERSIONS = [{ date: '2023-01-01', sunset: '2027-01-18' }];

/** Projects and the deployments in them. */
export const projectOperations: Operation[] = [
  {
    operationId: 'listGroups',
    method: 'GET',
    path: G,
    versions: [V20230101],
    successStatus: 200,
    handle: (ctx) =>
      list(ctx.store.listProjects(), (p) => projectView(p, ctx.store.countDeployments(p.id), ctx.baseUrl)),
  },
  {
    operationId: 'getGroup',
    method: 'GET',
    path: `${G}/{groupId}`,
    versions: [V20230101],
    successStatus: 200,
    handle: (ctx) => {
      const p = requireProject(ctx);
      return object(projectView(p, ctx.store.countDeployments(p.id), ctx.baseUrl));
    },
  },
  {
    operationId: 'listGroupClusters',
    method: 'GET',
    path: `${G}/{groupId}/clusters`,
    versions: CLUSTER_VERSIONS,
    successStatus: 200,
    handle: (ctx) => {
      const p = requireProject(ctx);
      return list(ctx.store.listClusters(p.id), (c) => clusterView(c, ctx.version, ctx.baseUrl));
    },
  },
  {
    operationId: 'getGroupCluster',
    method: 'GET',
    path: `${G}/{groupId}/clusters/{clusterName}`,
    versions: CLUSTER_VERSIONS,
    successStatus: 200,
    handle: (ctx) => object(clusterView(requireCluster(ctx), ctx.version, ctx.baseUrl)),
  },
  {
    operationId: 'listGroupFlexClusters',
    method: 'GET',
    path: `${G}/{groupId}/flexClusters`,
    versions: [V20241113],
    successStatus: 200,
    handle: (ctx) => {
      const p = requireProject(ctx);
      return list(ctx.store.listFlexClusters(p.id), (c) => flexClusterView(c, ctx.baseUrl));
    },
  },
  {
    operationId: 'getGroupFlexCluster',
    method: 'GET',
    path: `${G}/{groupId}/flexClusters/{name}`,
    versions: [V20241113],
    successStatus: 200,
    handle: (ctx) => object(flexClusterView(requireFlexCluster(ctx), ctx.baseUrl)),
  },
  {
    operationId: 'listGroupServerlessInstances',
    method: 'GET',
    path: `${G}/{groupId}/serverless`,
    versions: SERVERLESS_INSTANCE_VERSIONS,
    successStatus: 200,
    handle: (ctx) => {
      const p = requireProject(ctx);
      return list(ctx.store.listServerlessInstances(p.id), (s) => serverlessInstanceView(s, ctx.baseUrl));
    },
  },
  {
    operationId: 'getGroupServerlessInstance',
    method: 'GET',
    path: `${G}/{groupId}/serverless/{name}`,
    versions: SERVERLESS_INSTANCE_VERSIONS,
    successStatus: 200,
    handle: (ctx) => object(serverlessInstanceView(requireServerless(ctx, 'name'), ctx.baseUrl)),
  },
];
