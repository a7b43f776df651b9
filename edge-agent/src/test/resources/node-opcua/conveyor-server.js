// A conveyor-shaped OPC UA server that is not Milo: node-opcua 2.182.2 (Node 20). Usage: node conveyor-server.js <port>
// Tags ns=2;s=Line1.Seg<n>.<Tag> as the conveyor-plc-opcua profile reads them; RunCmd and SpeedSetpoint writable.
"use strict";
const { OPCUAServer, Variant, DataType, StatusCodes, MessageSecurityMode, SecurityPolicy } = require("node-opcua");

const port = parseInt(process.argv[2], 10);
const segments = 2;

(async () => {
  const server = new OPCUAServer({
    port,
    hostname: "127.0.0.1",
    resourcePath: "/conveyor",
    securityModes: [MessageSecurityMode.None],
    securityPolicies: [SecurityPolicy.None],
    allowAnonymous: true,
    buildInfo: { productName: "node-opcua conveyor", buildNumber: "1", buildDate: new Date() },
  });
  await server.initialize();
  const addressSpace = server.engine.addressSpace;
  // the server's own namespace is index 1; the PLC's tags live in the next one, index 2, as on the Milo PLC
  const ns = addressSpace.registerNamespace("urn:wareedge:test:node-opcua-conveyor");
  const line = ns.addObject({ organizedBy: addressSpace.rootFolder.objects, browseName: "Line1" });
  for (let s = 1; s <= segments; s++) {
    const state = { runCmd: true, setpoint: 1.2, items: 0 };
    const tag = (name, dataType, get, set) => ns.addVariable({
      componentOf: line,
      browseName: `Seg${s}.${name}`,
      nodeId: `s=Line1.Seg${s}.${name}`,
      dataType,
      accessLevel: set ? "CurrentRead | CurrentWrite" : "CurrentRead",
      userAccessLevel: set ? "CurrentRead | CurrentWrite" : "CurrentRead",
      minimumSamplingInterval: 50,
      value: {
        get: () => new Variant({ dataType: DataType[dataType], value: get() }),
        set: set ? (v) => { set(v.value); return StatusCodes.Good; } : undefined,
      },
    });
    tag("Running", "Boolean", () => state.runCmd);
    tag("Speed", "Float", () => (state.runCmd ? state.setpoint : 0));
    tag("MotorCurrent", "Float", () => (state.runCmd ? 2.5 + 1.4 * state.setpoint : 0.1));
    tag("MotorTemp", "Float", () => 40);
    tag("ItemCount", "UInt32", () => state.items);
    tag("Jam", "Boolean", () => false);
    tag("FaultCode", "Int16", () => 0);
    tag("SpeedSetpoint", "Float", () => state.setpoint, (v) => { state.setpoint = v; });
    tag("RunCmd", "Boolean", () => state.runCmd, (v) => { state.runCmd = v; });
    setInterval(() => { if (state.runCmd) { state.items++; } }, 500);
  }
  await server.start();
  console.log("READY " + server.getEndpointUrl());
})().catch((e) => { console.error(e); process.exit(1); });
