package catalog_test

import (
	"fmt"

	"github.com/iam2rego/iam2rego/translator/catalog"
)

func Example() {
	fmt.Println(catalog.KnownAction("S3:GetObject"), catalog.KnownAction("s3:GetObjekt"))
	fmt.Println(catalog.MatchesAnyAction("iam:*AccessKey*"), catalog.MatchesAnyAction("s3:Zzz*"))
	fmt.Println(catalog.ConditionKeyType("aws:ResourceTag/team"))
	fmt.Println(catalog.IsMultiValued("aws:TagKeys"))
	// Output:
	// true false
	// true false
	// String true
	// true
}
