'use strict';
// Operations documented from the contract whose routes are not served yet.
// Each line names the issue that adds the route; remove it when the route lands.
const NOT_YET_SERVED = new Set([
]);

module.exports = { NOT_YET_SERVED };
