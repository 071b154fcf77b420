<?xml version="1.0" encoding="utf-8"?>
<!-- Keeps the <summary> of every KubernetesClient model type and property (Kubernetes' own field descriptions)
     and drops the rest of KubernetesClient.xml (the generated API methods' docs are 85% of its 25 MB). -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="xml" indent="no" encoding="utf-8" />
  <xsl:template match="/">
    <members>
      <xsl:for-each select="doc/members/member[starts-with(@name, 'T:k8s.Models.') or starts-with(@name, 'P:k8s.Models.')]">
        <m n="{substring(@name, 14)}"><xsl:value-of select="normalize-space(summary)" /></m>
      </xsl:for-each>
    </members>
  </xsl:template>
</xsl:stylesheet>
