-- Refunds: at most one per order, whatever retries and recovery do.
CREATE UNIQUE INDEX payments_one_refund ON payments (order_id) WHERE status = 'REFUNDED'
