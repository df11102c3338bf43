'use strict';
// Operations documented from the contract whose routes are not served yet.
// Each line names the issue that adds the route; remove it when the route lands.
const NOT_YET_SERVED = new Set([
  'POST /auth/forgot-password', // issue 15 (accounts)
  'POST /auth/reset-password', // issue 15
  'POST /auth/change-password', // issue 15
  'POST /notifications/password-reset-code', // issue 15
  'POST /orders/{id}/ship', // issue 16 (shopops)
  'POST /orders/{id}/refund', // issue 16
  'POST /inventory/{id}/ship', // issue 16
  'POST /notifications/order-shipped', // issue 16
  'POST /notifications/order-refunded', // issue 16
]);

module.exports = { NOT_YET_SERVED };
