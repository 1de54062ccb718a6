package io.cachemode.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Conditions a health response must meet; all that are set must hold. */
@ValidationRule(
    value = "!has(self.jsonValue) || has(self.jsonPointer)",
    message = "expect.jsonValue needs expect.jsonPointer")
public class HealthExpectation {

  @Default("200")
  @Min(100)
  @Max(599)
  @JsonPropertyDescription("Expected HTTP status code. Default 200.")
  private Integer status = 200;

  @Size(max = Bounds.BODY_TEXT)
  @JsonPropertyDescription("Substring the response body must contain.")
  private String bodyContains;

  @Size(max = Bounds.JSON_POINTER)
  @JsonPropertyDescription("RFC 6901 JSON pointer into the response body, e.g. /redis/status.")
  private String jsonPointer;

  @Size(max = Bounds.BODY_TEXT)
  @JsonPropertyDescription(
      "Expected value at jsonPointer, compared as text (a JSON string without quotes, or a number/boolean as"
          + " written). Without it, jsonPointer only has to exist.")
  private String jsonValue;

  public Integer getStatus() {
    return status;
  }

  public void setStatus(Integer status) {
    this.status = status;
  }

  public String getBodyContains() {
    return bodyContains;
  }

  public void setBodyContains(String bodyContains) {
    this.bodyContains = bodyContains;
  }

  public String getJsonPointer() {
    return jsonPointer;
  }

  public void setJsonPointer(String jsonPointer) {
    this.jsonPointer = jsonPointer;
  }

  public String getJsonValue() {
    return jsonValue;
  }

  public void setJsonValue(String jsonValue) {
    this.jsonValue = jsonValue;
  }
}
