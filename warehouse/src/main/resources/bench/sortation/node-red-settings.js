// Headless Node-RED for the sortation benchmark (the peers' settings.js with a free port): no editor or admin API.
module.exports = {
  uiPort: +(process.env.NR_PORT || 1880), uiHost: '127.0.0.1',
  httpAdminRoot: false, httpNodeRoot: false,
  flowFile: 'flows.json', credentialSecret: false,
  logging: { console: { level: 'warn', metrics: false, audit: false } },
  functionGlobalContext: {}
};
