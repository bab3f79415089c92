/// What a gateway can do, so the UI offers only that.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capabilities {
    /// Capture less than the authorised amount.
    pub partial_capture: bool,
    /// Release an authorisation without capturing it.
    pub void: bool,
    /// What the gateway calls releasing an authorisation ("void", "cancel"...).
    pub void_name: &'static str,
    /// Release part of an authorisation and keep the rest.
    pub partial_void: bool,
    /// How the gateway really does it, where that is not obvious from the name.
    pub void_note: Option<&'static str>,
    pub partial_refund: bool,
    /// The gateway stores the operator's reason for a refund (the audit log always does).
    pub refund_reason: bool,
    /// Filter charges on the gateway rather than locally.
    pub server_search: bool,
    pub customers: bool,
    /// A list of every refund, not only one charge's.
    pub refund_list: bool,
    /// Deleting a customer's primary (default) card; where false the gateway refuses it.
    pub delete_primary_card: bool,
    pub subscriptions: bool,
    pub disputes: bool,
    pub three_d_secure: bool,
    /// The gateway de-duplicates writes by key, so an ambiguous write can be resent.
    pub idempotency_keys: bool,
    /// A list of payouts to the merchant's bank, each looked up by id.
    pub payouts: bool,
    /// The balance lines (charges, refunds, fees...) a payout was made of.
    pub payout_lines: bool,
    /// The merchant's available balance per currency.
    pub balance: bool,
    /// A charge's fee, net and the payout it went into.
    pub charge_settlement: bool,
    /// How a sync finds charges changed after they were created.
    pub changes: super::ChangeFeed,
}
