// Implements Automation::Start and the dead-letter hook (automation/automation.h).
#include "automation/automation.h"

namespace lf::automation {

void Automation::Start() {
  deliveries_.SetWaker([this] { deliverer_.Wake(); });
  deliverer_.OnDead([this](Tx& tx, const notify::DeadLetter& d) { return OnDeadDelivery(tx, d); });
  engine_.Start();
  deliverer_.Start();
}

Status Automation::OnDeadDelivery(Tx& tx, const notify::DeadLetter& d) {
  // Who must fix it: the rule's author, else whoever set the channel up.
  std::string who;
  if (!d.rule_id.empty()) {
    LF_ASSIGN(auto r, tx.Query("SELECT created_by FROM rules WHERE tenant_id = ? AND id = ?", {d.tenant_id, d.rule_id}));
    if (!r.empty()) who = AsText(r.rows[0][0]);
  }
  if (who.empty()) {
    LF_ASSIGN(auto c, tx.Query("SELECT created_by FROM notification_channels WHERE tenant_id = ? AND id = ?",
                               {d.tenant_id, d.channel_id}));
    if (!c.empty()) who = AsText(c.rows[0][0]);
  }
  if (who.empty()) return Status::Ok();
  NewAlert alert{d.tenant_id, who, "delivery_failed", "critical",
                 "通知发送失败(" + (d.channel_name.empty() ? d.kind : d.channel_name) + "):" + d.title + " — " + d.last_error,
                 d.entity, d.record_id, d.rule_id, "", who, nlohmann::json{{"delivery_id", d.id}}};
  return RaiseAlert(tx, events_, alert, clock_.NowMs()).status();
}

}  // namespace lf::automation
