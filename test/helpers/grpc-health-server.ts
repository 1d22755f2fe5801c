import { Server, ServerCredentials, status } from '@grpc/grpc-js';
import type { ServiceDefinition, sendUnaryData, ServerUnaryCall, UntypedServiceImplementation } from '@grpc/grpc-js';

/** ServingStatus numbers of grpc.health.v1. */
export const SERVING = 1;
export const NOT_SERVING = 2;

/**
 * HealthCheckRequest.service (field 1, length-delimited; short names only: one-byte length).
 * Wrapped in an object: grpc-js treats a falsy decoded request ('') as a missing one.
 */
function decodeService(buffer: Buffer): { service: string } {
  return { service: readService(buffer) };
}

function readService(buffer: Buffer): string {
  if (buffer.length === 0) return '';
  if (buffer[0] !== 0x0a) throw new Error('unexpected field in HealthCheckRequest');
  const length = buffer[1] ?? 0;
  return buffer.subarray(2, 2 + length).toString('utf8');
}

/** HealthCheckResponse { status = 1 (varint) }, plus an unknown field 2 to check that clients skip it. */
function encodeStatus(value: number): Buffer {
  return Buffer.from([0x08, value, 0x12, 0x02, 0x68, 0x69]);
}

const healthService: ServiceDefinition = {
  Check: {
    path: '/grpc.health.v1.Health/Check',
    requestStream: false,
    responseStream: false,
    requestSerialize: () => Buffer.alloc(0),
    requestDeserialize: decodeService,
    responseSerialize: encodeStatus,
    responseDeserialize: (value: Buffer) => value,
    originalName: 'check',
  },
};

/**
 * A gRPC server on 127.0.0.1:0 with the standard health service. `statuses` maps service names
 * ('' = the whole server) to ServingStatus; other names answer NOT_FOUND like grpc-go.
 */
export async function startHealthServer(
  statuses: ReadonlyMap<string, number>,
  tls?: { key: string; cert: string },
): Promise<{ port: number; close: () => Promise<void> }> {
  const server = new Server();
  const implementation: UntypedServiceImplementation = {
    Check: (call: ServerUnaryCall<{ service: string }, number>, callback: sendUnaryData<number>) => {
      const found = statuses.get(call.request.service);
      if (found === undefined) callback({ code: status.NOT_FOUND, details: 'unknown service' });
      else callback(null, found);
    },
  };
  server.addService(healthService, implementation);
  const credentials = tls
    ? ServerCredentials.createSsl(null, [{ private_key: Buffer.from(tls.key), cert_chain: Buffer.from(tls.cert) }])
    : ServerCredentials.createInsecure();
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', credentials, (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return { port, close: () => new Promise<void>((resolve) => { server.forceShutdown(); resolve(); }) };
}
