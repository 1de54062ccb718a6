package io.cachemode.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Projected monthly cost of the GET requests, from spec.requestMetrics.pricePer100kRequests. */
public class CostStatus {

  @JsonPropertyDescription("The price used, per 100,000 requests.")
  private String pricePer100kRequests;

  @JsonPropertyDescription("Projected cost of 30 days at the rate before the change.")
  private String beforePerMonth;

  @JsonPropertyDescription("Projected cost of 30 days at the rate after the change.")
  private String afterPerMonth;

  public String getPricePer100kRequests() {
    return pricePer100kRequests;
  }

  public void setPricePer100kRequests(String pricePer100kRequests) {
    this.pricePer100kRequests = pricePer100kRequests;
  }

  public String getBeforePerMonth() {
    return beforePerMonth;
  }

  public void setBeforePerMonth(String beforePerMonth) {
    this.beforePerMonth = beforePerMonth;
  }

  public String getAfterPerMonth() {
    return afterPerMonth;
  }

  public void setAfterPerMonth(String afterPerMonth) {
    this.afterPerMonth = afterPerMonth;
  }
}
