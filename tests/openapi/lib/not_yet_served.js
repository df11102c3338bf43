'use strict';
// Operations documented from the contract whose routes are not served yet.
// Each line names the issue that adds the route; remove it when the route lands.
const NOT_YET_SERVED = new Set([
  'POST /auth/forgot-password', // issue 15 (accounts)
  'POST /auth/reset-password', // issue 15
  'POST /auth/change-password', // issue 15
  'POST /notifications/password-reset-code', // issue 15
]);

module.exports = { NOT_YET_SERVED };
